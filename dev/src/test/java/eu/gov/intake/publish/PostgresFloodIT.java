package eu.gov.intake.publish;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.ExtraIntake;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, item 3: every well-formed API key with an unknown prefix costs a PostgreSQL query, and those queries
 * shared one pool, with a wait queue of no bound, with the spool. Here the key lookups hang (a lock on api_keys, as
 * a flood would make them crawl) while Kafka is paused: before, the spool's commits waited behind them and real
 * submissions got 503 at their deadline, turning a Kafka outage into a full one. The durability path has
 * connections of its own now, and the lookups a bounded wait.
 */
@ExtendWith(IntakeTestRun.class)
class PostgresFloodIT {
  @Test
  void keyLookupsThatHangCannotTakeTheSpoolsConnections(TestIntake shared) throws Exception {
    try (var intake = ExtraIntake.start(shared, Map.of("INTAKE_PUBLISH_TIMEOUT", "300ms", "INTAKE_REQUEST_DEADLINE", "4s",
        "INTAKE_IDEMPOTENCY_LEASE", "6s"));
         var pg = new PgProbe(shared.pgUrl());
         var flood = Executors.newFixedThreadPool(40)) {
      String key = shared.keyOf("demo-web");
      assertThat(Http.submit(intake.apiPort(), key, "flood-warm-" + UUID.randomUUID(), taxReturn(freshApplicant()).encode()).statusCode())
          .isEqualTo(202);
      var kafka = shared.servers().kafka().orElseThrow().process();
      var lockHolder = pg.pool().getConnection().await();
      var transaction = lockHolder.begin().await();
      var floods = new ArrayList<CompletableFuture<Integer>>();
      try {
        lockHolder.query("LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE").execute().await();
        for (int i = 0; i < 40; i++) {
          floods.add(CompletableFuture.supplyAsync(() -> Http.submit(intake.apiPort(), randomKey(), "flood-" + UUID.randomUUID(),
              taxReturn(freshApplicant()).encode()).statusCode(), flood));
        }
        Thread.sleep(500);   // the lookups are in: each holds a connection or waits for one
        kafka.pause();
        for (int i = 0; i < 5; i++) {
          var answer = Http.submit(intake.apiPort(), key, "flood-real-" + UUID.randomUUID(), taxReturn(freshApplicant()).encode());
          assertThat(answer.statusCode()).as("a real submission, from the spool: " + answer.body()).isEqualTo(202);
        }
      } finally {
        transaction.rollback().await();
        lockHolder.close().await();
        kafka.resume();
      }
      // the flood itself got answers, none of them a bug: 401 once the lookups ran, or 503 while PostgreSQL could not
      for (var answer : floods) assertThat(answer.join()).isIn(401, 503);
      assertThat(Http.get(intake.app().managementPort(), "/health/live").statusCode()).isEqualTo(200);
    }
  }

  /** Well formed, with a prefix nobody has: each one a lookup in PostgreSQL. */
  private static String randomKey() {
    var random = new SecureRandom();
    var prefix = new StringBuilder();
    for (int i = 0; i < 8; i++) prefix.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(random.nextInt(36)));
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    return "ik_" + prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }
}
