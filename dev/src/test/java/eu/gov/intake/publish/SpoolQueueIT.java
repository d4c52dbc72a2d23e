package eu.gov.intake.publish;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Await;
import eu.gov.intake.testing.ExtraIntake;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, item 4: with Kafka down every submission goes to the spool, and while a spool commit hangs (here: a
 * lock on the table, as a slow PostgreSQL would hold it) the appends that arrive wait for the next one. Their queue
 * had no bound, and a waiting append stayed in it (its application with it) after its client got 503 at the
 * deadline. Now the queue is bounded (past it: 503 overloaded at once) and an append leaves it at its deadline.
 */
@ExtendWith(IntakeTestRun.class)
class SpoolQueueIT {
  private static final int QUEUE = 20;

  @Test
  void whileACommitHangsAppendsPastTheBoundAreRefusedAtOnceAndWaitingOnesLeaveAtTheirDeadline(TestIntake shared) throws Exception {
    try (var intake = ExtraIntake.start(shared, Map.of("INTAKE_SPOOL_QUEUE", Integer.toString(QUEUE), "INTAKE_PUBLISH_TIMEOUT", "300ms",
        "INTAKE_REQUEST_DEADLINE", "3s", "INTAKE_IDEMPOTENCY_LEASE", "5s"));
         var pg = new PgProbe(shared.pgUrl())) {
      String key = shared.keyOf("demo-web");
      assertThat(Http.submit(intake.apiPort(), key, "warm-" + UUID.randomUUID(), taxReturn(freshApplicant()).encode()).statusCode())
          .isEqualTo(202);
      var keys = new ArrayList<String>();
      var bodies = new ArrayList<String>();
      for (int i = 0; i < 60; i++) {
        keys.add("spoolq-" + UUID.randomUUID());
        bodies.add(taxReturn(freshApplicant()).encode());
      }
      var kafka = shared.servers().kafka().orElseThrow().process();
      var lockHolder = pg.pool().getConnection().await();
      var transaction = lockHolder.begin().await();
      List<HttpResponse<String>> answers;
      try {
        // inserts wait for this lock, reads of the spool do not: a commit that hangs while everything else works
        lockHolder.query("LOCK TABLE spool IN EXCLUSIVE MODE").execute().await();
        kafka.pause();
        try (var clients = Executors.newFixedThreadPool(60)) {
          var pending = new ArrayList<CompletableFuture<HttpResponse<String>>>();
          for (int i = 0; i < 60; i++) {
            int n = i;
            pending.add(CompletableFuture.supplyAsync(() -> Http.submit(intake.apiPort(), key, keys.get(n), bodies.get(n)), clients));
          }
          answers = pending.stream().map(CompletableFuture::join).toList();
        }
        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).as(a.body()).isEqualTo(503));
        long overloaded = answers.stream().filter(a -> new JsonObject(a.body()).getString("type").endsWith("/overloaded")).count();
        assertThat(overloaded).as("refused at once past the queue's bound").isGreaterThanOrEqualTo(60 - QUEUE - 10);
        Await.until("the waiting appends gone at their deadline", Duration.ofSeconds(10), Duration.ofMillis(50),
            () -> intake.registry().get("intake.spool.queued").gauge().value() == 0);
      } finally {
        transaction.rollback().await();
        lockHolder.close().await();
        kafka.resume();
      }
      // nothing half-done: every one goes through on retry, with the key it was first sent with
      for (int i = 0; i < 60; i++) {
        int n = i;
        Await.until("a retry accepted", Duration.ofSeconds(30), Duration.ofMillis(200),
            () -> Http.submit(intake.apiPort(), key, keys.get(n), bodies.get(n)).statusCode() == 202);
      }
    }
  }
}
