package eu.gov.intake;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.testing.ExtraIntake;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Admission control: with the in-flight bound set to 4 and Kafka paused (SIGSTOP), the extra requests are shed
 * at once with 503 while the admitted ones are still waiting; the admitted ones end at the deadline, and after
 * SIGCONT their retries are accepted with the same applicationIds, and are on Kafka.
 */
@ExtendWith(IntakeTestRun.class)
class AdmissionIT {
  @Test
  void pastTheInFlightBoundRequestsAreShedAtOnceAndNothingAcceptedIsLost(TestIntake intake) throws Exception {
    // the spool off: this test is about the bound and the deadline, not about where a slow Kafka's load goes; and
    // one client may take all of it (its share is SlowClientsIT's)
    var extra = ExtraIntake.start(intake, Map.of("INTAKE_MAX_IN_FLIGHT", "4", "INTAKE_REQUEST_DEADLINE", "6s",
        "INTAKE_SPOOL_ENABLED", "false", "INTAKE_CLIENT_SHARE", "100"));
    var small = extra.app();
    var kafka = intake.servers().kafka().orElseThrow().process();
    List<String> keys = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    try (var pool = Executors.newFixedThreadPool(12)) {
      kafka.pause();
      try {
        for (int i = 0; i < 4; i++) {                       // these four fill the bound and wait on Kafka
          keys.add("adm-" + UUID.randomUUID());
          bodies.add(taxReturn(freshApplicant()).encode());
          int n = i;
          answers.add(CompletableFuture.supplyAsync(() -> Http.submit(small.apiPort(), intake.keyOf("demo-web"), keys.get(n), bodies.get(n)), pool));
        }
        awaitInFlight(small, 4);
        var shed = new ArrayList<HttpResponse<String>>();
        for (int i = 0; i < 8; i++) {
          shed.add(Http.submit(small.apiPort(), intake.keyOf("demo-web"), "shed-" + UUID.randomUUID(), taxReturn(freshApplicant()).encode()));
        }
        // every extra request was answered while the admitted ones were still waiting
        assertThat(answers).noneMatch(CompletableFuture::isDone);
        assertThat(shed).allSatisfy(r -> {
          assertThat(r.statusCode()).isEqualTo(503);
          assertThat(new JsonObject(r.body()).getString("type")).endsWith("/overloaded");
          assertThat(r.headers().firstValue("Retry-After")).isPresent();
        });
        for (var answer : answers) {                        // the admitted ones end at the deadline: 503, nothing half-done
          var response = answer.get();
          assertThat(response.statusCode()).isEqualTo(503);
          assertThat(new JsonObject(response.body()).getString("type")).endsWith("/service-unavailable");
        }
      } finally {
        kafka.resume();
      }
      for (int i = 0; i < 4; i++) {
        var retry = Http.submit(small.apiPort(), intake.keyOf("demo-web"), keys.get(i), bodies.get(i));
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        String id = new JsonObject(retry.body()).getString("applicationId");
        assertThat(Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax", r -> id.equals(Topic.header(r, "ce_id")), 1))
            .isNotEmpty();
      }
      assertThat(small.inFlight()).isZero();
    } finally {
      extra.close();
    }
  }

  /** Polls the instance's own count: the four must be inside before the rest arrive. */
  private static void awaitInFlight(IntakeApp app, int expected) {
    for (int i = 0; i < 20_000 && app.inFlight() < expected; i++) java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    assertThat(app.inFlight()).as("admitted submissions waiting on the paused broker").isEqualTo(expected);
  }
}
