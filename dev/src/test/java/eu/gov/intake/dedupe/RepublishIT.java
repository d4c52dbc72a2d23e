package eu.gov.intake.dedupe;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.RedisProbe;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, items 1 and 2: an application published a second time under its key is the same event. Both states are
 * the ones real faults leave in Redis: a completion that never landed (Redis stalled or failed over after Kafka's
 * ack; the client got 503 and retries after the lease), and a record Redis no longer has (restarted without
 * persistence, failed over before replication). Before the fix the first gave the department a twin with a
 * different receivedAt, the second a second applicationId.
 */
@ExtendWith(IntakeTestRun.class)
class RepublishIT {
  private static final String TOPIC = "intake.applications.shtax";

  @Test
  void aTakeoverAfterALostCompletionRepublishesTheSameBytesWithTheSameTime(TestIntake intake) throws Exception {
    String key = "k-" + UUID.randomUUID();
    String body = taxReturn(freshApplicant()).encode();
    var first = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, body);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    var receipt = new JsonObject(first.body());
    String id = receipt.getString("applicationId");
    try (var redis = new RedisProbe(intake.redisUrl())) {
      // what a completion lost after Kafka's ack leaves once the lease ran out: still in progress, nobody holding it
      redis.hset("idem:{demo-web}:" + key, "state", "IN_PROGRESS", "leaseUntil", Long.toString(redis.timeMillis() - 1));
    }
    Thread.sleep(20);  // a clock that moved on: a new receivedAt would differ

    var retry = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, body);

    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
    var again = new JsonObject(retry.body());
    assertThat(again.getString("applicationId")).isEqualTo(id);
    assertThat(again.getString("receivedAt")).isEqualTo(receipt.getString("receivedAt"));
    var records = Topic.records(intake.kafkaBootstrap(), TOPIC, r -> id.equals(Topic.header(r, "ce_id")), 2);
    assertThat(records).hasSize(2);
    assertThat(records.get(1).value()).isEqualTo(records.get(0).value());
    assertThat(Topic.header(records.get(1), "ce_time")).isEqualTo(Topic.header(records.get(0), "ce_time"));
    assertThat(records.get(1).key()).isEqualTo(records.get(0).key());
  }

  @Test
  void aRetryAfterRedisLostTheRecordKeepsTheApplicationIdOfTheFirstAttempt(TestIntake intake) {
    String key = "k-" + UUID.randomUUID();
    String body = taxReturn(freshApplicant()).encode();
    var first = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, body);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    String id = new JsonObject(first.body()).getString("applicationId");
    try (var redis = new RedisProbe(intake.redisUrl())) {
      redis.del("idem:{demo-web}:" + key);   // what a Redis restarted without persistence has of it
    }

    var retry = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, body);
    var otherKey = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "k-" + UUID.randomUUID(), body);

    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
    assertThat(new JsonObject(retry.body()).getString("applicationId")).isEqualTo(id);
    // the department sees the same ce_id twice, and drops the second as a repeat
    assertThat(Topic.records(intake.kafkaBootstrap(), TOPIC, r -> id.equals(Topic.header(r, "ce_id")), 2)).hasSize(2);
    // the id is the key's and the request's, not the content's alone: another key is another application
    assertThat(otherKey.statusCode()).isEqualTo(202);
    assertThat(new JsonObject(otherKey.body()).getString("applicationId")).isNotEqualTo(id);
  }
}
