package eu.gov.intake.submission;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.ApiContract;
import eu.gov.intake.testing.Await;
import eu.gov.intake.testing.ExtraIntake;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.Offsets;
import eu.gov.intake.testing.RedisProbe;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The 503 row: Redis or Kafka gone. Nothing half-done is left, and the retry goes through once they are back. */
@ExtendWith(IntakeTestRun.class)
class UnavailableDependenciesIT {
  @Test
  void redisUnreachable_is503WithRetryAfterAndNothingIsPublished(TestIntake intake) {
    try (var pg = new PgProbe(intake.pgUrl())) {
      pg.awaitSpoolEmpty(Duration.ofSeconds(60));  // another test's spooled records must not move the offsets below
    }
    var redis = intake.servers().redis().orElseThrow();
    long before = Offsets.published(intake.kafkaBootstrap());
    redis.process().kill();
    try {
      var response = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "k-" + UUID.randomUUID(), taxReturn(freshApplicant()).encode());
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
      assertThat(new JsonObject(response.body()).getString("type")).endsWith("/service-unavailable");
      ApiContract.assertConforms(response, "submitApplication");
      // Intake's own 503 beats a load balancer's error page: readiness does not follow Redis, the metric does
      assertThat(Http.get(intake.managementPort(), "/health/ready").statusCode()).isEqualTo(200);
      Await.until("intake_dependency_up{dependency=\"redis\"} 0", Duration.ofSeconds(30), Duration.ofMillis(100),
          () -> intake.metric("intake_dependency_up", "dependency=\"redis\"") == 0);
    } finally {
      redis.start();
    }
    Await.until("intake_dependency_up{dependency=\"redis\"} 1", Duration.ofSeconds(30), Duration.ofMillis(100),
        () -> intake.metric("intake_dependency_up", "dependency=\"redis\"") == 1);
    assertThat(Offsets.published(intake.kafkaBootstrap())).isEqualTo(before);
    assertThat(Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "k-" + UUID.randomUUID(), taxReturn(freshApplicant()).encode())
        .statusCode()).isEqualTo(202);
  }

  /** With the spool switched off (INTAKE_SPOOL_ENABLED=false); with it on, see OutageIT. */
  @Test
  void kafkaUnreachable_is503AndTheReleasedLeaseLetsTheRetryPublishWithTheSameApplicationId(TestIntake intake) {
    try (var noSpool = ExtraIntake.start(intake, Map.of("INTAKE_SPOOL_ENABLED", "false", "INTAKE_REQUEST_DEADLINE", "3s"))) {
      kafkaUnreachableWithoutSpool(intake, noSpool.apiPort());
    }
  }

  private static void kafkaUnreachableWithoutSpool(TestIntake intake, int apiPort) {
    var kafka = intake.servers().kafka().orElseThrow();
    String key = "k-" + UUID.randomUUID();
    String application = taxReturn(freshApplicant()).encode();
    kafka.process().kill();
    String recordedId;
    try {
      var response = Http.submit(apiPort, intake.keyOf("demo-web"), key, application);
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
      try (var redis = new RedisProbe(intake.redisUrl())) {
        var record = redis.hgetall("idem:{demo-web}:" + key);
        assertThat(record).containsEntry("state", "RELEASED").containsEntry("leaseUntil", "0").containsKey("applicationId");
        recordedId = record.get("applicationId");
      }
    } finally {
      kafka.start();
    }
    var retry = Http.submit(apiPort, intake.keyOf("demo-web"), key, application);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
    assertThat(new JsonObject(retry.body()).getString("applicationId")).isEqualTo(recordedId);
    // the timed-out send may have landed after all: then it is a twin with the same ce_id, never another id
    assertThat(Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax", r -> recordedId.equals(Topic.header(r, "ce_id")), 1))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(new JsonObject(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).getString("applicationId"))
            .isEqualTo(recordedId));
  }
}
