package eu.gov.intake;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.leaseRegistration;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.IntakeProcess;
import eu.gov.intake.testing.TestDirs;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, item 5: "no personal data in logs", proved rather than promised. Runs last in the suite (its class
 * order), so that every log line the suite's traffic made is written by then: the shared instance's (this JVM's
 * log, {@code suite.log}, at the levels Intake logs at by default) and every Intake process a test started. It
 * adds a mix of its own through the shared instance and through a production-mode process logging JSON at its
 * default level: accepted, replayed, conflicting, invalid, unknown-service, malformed, batched and refused
 * submissions, and status changes with notes. Then it scans every line for any resident-id-like number (every
 * applicant id of the suite is one) and for the payload values and notes it sent, and finds none.
 */
@ExtendWith(IntakeTestRun.class)
@Order(Integer.MAX_VALUE)   // with junit.jupiter.testclass.order.default = OrderAnnotation: after every other class
class LogPrivacyIT {
  /** An 18-character mainland resident id (17 digits and a digit or X), not inside a longer number. */
  private static final Pattern RESIDENT_ID = Pattern.compile("(?<![0-9A-Za-z])\\d{17}[\\dX](?![0-9A-Za-z])");

  @Test
  void noLogLineOfTheSuiteHoldsAnApplicantIdOrAPayloadValue(TestIntake intake) throws Exception {
    String marker = "PRIVATE" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    var sent = new ArrayList<String>();
    var process = IntakeProcess.onServersOf(intake, TestDirs.fresh("log-privacy").resolve("serve.log"),
        Map.of("INTAKE_LOG_FORMAT", "json"));
    try {
      traffic(intake, intake.apiPort(), marker + "a", sent);
      traffic(intake, process.apiPort(), marker + "b", sent);
    } finally {
      process.process().destroy();   // SIGTERM: its shutdown lines are scanned too
      process.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    var logs = new ArrayList<Path>(IntakeProcess.logs());
    logs.add(Path.of(System.getProperty("intake.suite.log")));
    long lines = 0;
    var found = new ArrayList<String>();
    for (Path log : logs) {
      if (!Files.exists(log)) continue;
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        lines++;
        if (leaks(line, marker, sent) && found.size() < 20) found.add(log.getFileName() + ": " + line);
      }
    }
    // the check can fail: a line as a careless log statement would write it is caught
    assertThat(leaks("WARN Submissions - rejected application of " + sent.getFirst(), marker, sent)).isTrue();
    assertThat(leaks("DEBUG body {\"propertyAddress\":\"" + marker + "a road 1\"}", marker, sent)).isTrue();
    // the scan read both kinds of log: this JVM's and the production-mode process's JSON lines
    assertThat(Files.readString(process.log())).contains("\"message\":\"Intake ready");
    assertThat(Files.readString(logs.getLast())).contains("catalog version");
    System.out.printf("LogPrivacyIT: %d log lines scanned in %d files%n", lines, logs.size());
    assertThat(sent).as("applicant ids sent by this test").hasSizeGreaterThan(10);
    assertThat(found).as("log lines with personal data, of %d scanned in %d files", lines, logs.size()).isEmpty();
  }

  private static boolean leaks(String line, String marker, List<String> sent) {
    return RESIDENT_ID.matcher(line).find() || line.contains(marker) || sent.stream().anyMatch(line::contains);
  }

  /** The mix: each kind of answer Intake gives, with personal data in every request. */
  private static void traffic(TestIntake intake, int port, String marker, List<String> sent) {
    String web = intake.keyOf("demo-web");
    for (int i = 0; i < 5; i++) {
      String applicant = freshApplicant();
      sent.add(applicant);
      var lease = leaseRegistration(applicant);
      lease.getJsonObject("payload").put("propertyAddress", marker + " road " + i);
      String key = "privacy-" + UUID.randomUUID();
      var first = Http.submit(port, web, key, lease.encode());
      assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
      assertThat(Http.submit(port, web, key, lease.encode()).statusCode()).as("replay").isEqualTo(202);
      lease.getJsonObject("payload").put("monthlyRent", 7777);
      assertThat(Http.submit(port, web, key, lease.encode()).statusCode()).as("same key, other content").isEqualTo(422);

      String applicationId = new JsonObject(first.body()).getString("applicationId");
      var change = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/applications/" + applicationId + "/status"))
          .header("Authorization", "Bearer " + intake.keyOf("dept-shhousing")).header("Content-Type", "application/json")
          .header("Idempotency-Key", "privacy-" + UUID.randomUUID())
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("status", "IN_REVIEW")
              .put("note", marker + " note for " + applicant).encode())));
      assertThat(change.statusCode()).as(change.body()).isIn(200, 409);
      var nul = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/applications/" + applicationId + "/status"))
          .header("Authorization", "Bearer " + intake.keyOf("dept-shhousing")).header("Content-Type", "application/json")
          .header("Idempotency-Key", "privacy-" + UUID.randomUUID())
          .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"APPROVED\",\"note\":\"" + applicant + "\\u0000\"}")));
      assertThat(nul.statusCode()).as(nul.body()).isEqualTo(400);

      String other = freshApplicant();
      sent.add(other);
      var invalid = taxReturn(other);
      invalid.getJsonObject("payload").put("taxYear", marker + "-year").put("annualIncome", -918273645);
      assertThat(Http.submit(port, web, "privacy-" + UUID.randomUUID(), invalid.encode()).statusCode()).isEqualTo(422);
      var unknown = taxReturn(other).put("serviceCode", "SHTAX-9999");
      assertThat(Http.submit(port, web, "privacy-" + UUID.randomUUID(), unknown.encode()).statusCode()).isIn(400, 404, 422);
      assertThat(Http.submit(port, web, "privacy-" + UUID.randomUUID(), "{\"applicant\":{\"id\":\"" + other + "\"," + marker)
          .statusCode()).isEqualTo(400);
      assertThat(Http.submit(port, "ik_live_wrongprefix_" + marker, "privacy-" + UUID.randomUUID(), taxReturn(other).encode())
          .statusCode()).isEqualTo(401);
    }
    var items = new JsonArray();
    for (int i = 0; i < 3; i++) {
      String applicant = freshApplicant();
      sent.add(applicant);
      var item = i == 1 ? taxReturn(applicant).put("serviceCode", "") : leaseRegistration(applicant);
      items.add(item.put("idempotencyKey", "privacy-" + UUID.randomUUID()));
    }
    var batch = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/applications:batch"))
        .header("Authorization", "Bearer " + web).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("items", items).encode())));
    assertThat(batch.statusCode()).as(batch.body()).isEqualTo(207);
  }
}
