package eu.gov.intake.submission;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.config.IntakeConfig;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.RedisProbe;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Contract section 5: the record on the department topic, its CloudEvents headers and its key. */
@ExtendWith(IntakeTestRun.class)
class EventsIT {
  @Test
  void recordCarriesCloudEventsHeadersTraceparentAndAKeyedHashOfTheApplicant(TestIntake intake) throws Exception {
    String applicantId = freshApplicant();
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    String key = "k-" + UUID.randomUUID();
    var response = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/applications"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + intake.keyOf("demo-web"))
        .header("Idempotency-Key", key).header("traceparent", traceparent)
        .POST(HttpRequest.BodyPublishers.ofString(taxReturn(applicantId).encode())));
    assertThat(response.statusCode()).isEqualTo(202);
    var receipt = new JsonObject(response.body());
    String id = receipt.getString("applicationId");

    var records = Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax", r -> id.equals(Topic.header(r, "ce_id")), 1);
    assertThat(records).hasSize(1);
    var record = records.get(0);
    assertThat(Topic.header(record, "ce_specversion")).isEqualTo("1.0");
    assertThat(Topic.header(record, "ce_type")).isEqualTo("gov.intake.application.submitted.v1");
    assertThat(Topic.header(record, "ce_source")).isEqualTo("/intake");
    assertThat(Topic.header(record, "ce_subject")).isEqualTo("SHTAX-0001");
    assertThat(Topic.header(record, "ce_time")).isEqualTo(receipt.getString("receivedAt"));
    assertThat(Topic.header(record, "content-type")).isEqualTo("application/json");
    assertThat(Topic.header(record, "traceparent")).isEqualTo(traceparent);

    // the key is HMAC-SHA256(type, 0x00, id) under the configured secret: stable per applicant, not the id
    var mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(IntakeConfig.fromEnv(Map.of(), true).applicantKeySecret().value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update("INDIVIDUAL".getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);
    assertThat(record.key()).isEqualTo(HexFormat.of().formatHex(mac.doFinal(applicantId.getBytes(StandardCharsets.UTF_8))))
        .doesNotContain(applicantId);

    var value = new JsonObject(new String(record.value(), StandardCharsets.UTF_8));
    assertThat(value.getString("applicationId")).isEqualTo(id);
    assertThat(value.getString("channel")).isEqualTo("WEB");
    assertThat(value.getJsonObject("applicant").getString("id")).isEqualTo(applicantId);
    assertThat(value.getJsonObject("payload").getInteger("taxYear")).isEqualTo(2025);

    try (var redis = new RedisProbe(intake.redisUrl())) {
      var stored = redis.hgetall("idem:{demo-web}:" + key);
      assertThat(stored).containsEntry("applicationId", id).containsEntry("state", "COMPLETED").containsKey("fingerprint");
      assertThat(redis.ttl("idem:{demo-web}:" + key)).isBetween(23 * 3600L, 24 * 3600L);
    }
  }

  @Test
  void oneApplicantsApplicationsShareAKeyAndSoAPartition(TestIntake intake) {
    String applicantId = freshApplicant();
    String a = new JsonObject(Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "k-" + UUID.randomUUID(),
        taxReturn(applicantId).encode()).body()).getString("applicationId");
    var second = taxReturn(applicantId);
    second.getJsonObject("payload").put("taxYear", 2024);
    String b = new JsonObject(Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "k-" + UUID.randomUUID(),
        second.encode()).body()).getString("applicationId");

    var records = Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax",
        r -> a.equals(Topic.header(r, "ce_id")) || b.equals(Topic.header(r, "ce_id")), 2);
    assertThat(records).hasSize(2);
    assertThat(records.get(0).key()).isEqualTo(records.get(1).key());
    assertThat(records.get(0).partition()).isEqualTo(records.get(1).partition());
  }
}
