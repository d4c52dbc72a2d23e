package eu.gov.intake.dedupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.config.Secret;
import eu.gov.intake.failure.IdempotencyConflict;
import eu.gov.intake.redis.ClientSlots;
import eu.gov.intake.testing.RedisProbe;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, item 1: complete and release are fenced by the attempt that holds the lease. Before, a stale attempt
 * (its lease ran out while it was slow, and a retry took over) could release the newer attempt's lease, letting a
 * third publish at the same time, or complete the record over it.
 */
@ExtendWith(IntakeTestRun.class)
class LeaseFencingIT {
  private static final Duration LEASE = Duration.ofMillis(300);

  @Test
  void aStaleAttemptCanNeitherReleaseNorCompleteTheLeaseOfTheAttemptThatTookItOver(TestIntake intake) throws Exception {
    var vertx = Vertx.vertx();
    try (var probe = new RedisProbe(intake.redisUrl())) {
      var redis = Redis.createClient(vertx, intake.redisUrl());
      var store = new IdempotencyStore(redis, new ClientSlots(1), new Fingerprints(new Secret("fencing-test")), LEASE,
          Duration.ofMinutes(5));
      String key = "fence-" + UUID.randomUUID();
      var request = Canonical.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"a\":1}"));
      Instant firstSeen = Instant.parse("2026-12-07T01:02:03.456789Z");

      Claim stale = store.claimKey("fence-client", key, request, firstSeen, Optional.empty()).await();
      Thread.sleep(LEASE.toMillis() + 50);
      Claim newer = store.claimKey("fence-client", key, request, Instant.now(), Optional.empty()).await();
      assertThat(newer.applicationId()).isEqualTo(stale.applicationId());
      assertThat(newer.receivedAt()).isEqualTo(firstSeen);

      store.release(stale).await();
      // the newer attempt still holds its lease: a third is told to wait, not let in
      assertThatThrownBy(() -> store.claimKey("fence-client", key, request, Instant.now(), Optional.empty()).await())
          .isInstanceOf(IdempotencyConflict.class);

      assertThat(store.complete(stale, 202, Buffer.buffer("{\"from\":\"stale\"}")).await()).isFalse();
      assertThat(store.complete(newer, 202, Buffer.buffer("{\"from\":\"newer\"}")).await()).isTrue();
      var record = probe.hgetall("idem:{fence-client}:" + key);
      assertThat(record).containsEntry("state", "COMPLETED");
      assertThat(record.get("response")).contains("newer");
      redis.close();
    } finally {
      vertx.close().await();
    }
  }

}
