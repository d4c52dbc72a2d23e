package eu.gov.intake.publish;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Await;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Found in review: a spool row the relay cannot decrypt (its key dropped from INTAKE_SPOOL_KEYS, its bytes changed)
 * failed its whole batch after the rows before it had gone to Kafka, so those went again on every pass, a twin a
 * second, and were never marked published. Now the rows before it are published and marked, no copy follows, and its
 * shard waits at it, its applicant's order kept; once it can be read again, it and the rows behind it go.
 */
@ExtendWith(IntakeTestRun.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UnreadableSpoolRowIT {
  private static final String TOPIC = "intake.applications.shtax";

  @Test
  void theRowsBeforeAnUnreadableOneArePublishedOnceAndTheShardWaitsAtIt(TestIntake intake) throws Exception {
    var kafka = intake.servers().kafka().orElseThrow();
    String applicant = freshApplicant();   // one applicant: one record key, one shard, in this order
    var ids = new ArrayList<String>();
    try (var pg = new PgProbe(intake.pgUrl())) {
      kafka.process().kill();
      try {
        for (int year = 2021; year <= 2024; year++) {
          var body = taxReturn(applicant);
          body.getJsonObject("payload").put("taxYear", year);
          var answer = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "unreadable-" + UUID.randomUUID(), body.encode());
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
          ids.add(new JsonObject(answer.body()).getString("applicationId"));
        }
        // the third row's bytes changed: it no longer authenticates. The relay's first pass after the outage probes
        // with one row; the next batch holds the second row and then this one
        Object third = UUID.fromString(ids.get(2));
        assertThat(flipAByte(pg, third)).isEqualTo(1);
      } finally {
        kafka.start();
      }
      Object before = new UUID[] {UUID.fromString(ids.get(0)), UUID.fromString(ids.get(1))};
      // before the fix the second row never got here: sent with its batch, then the batch failed at the third, every pass
      Await.until("the rows before the unreadable one published", Duration.ofSeconds(60), Duration.ofMillis(100),
          () -> pg.count("SELECT count(*) FROM spool WHERE application_id = ANY($1) AND published_at IS NOT NULL", before) == 2);
      int copies = copiesOf(intake, ids.get(1));
      Thread.sleep(5_000);   // five more relay passes (INTAKE_RELAY_INTERVAL 1s), each meeting the unreadable row
      assertThat(copiesOf(intake, ids.get(1))).as("copies of the second row once it was marked published").isEqualTo(copies);
      Object waiting = new UUID[] {UUID.fromString(ids.get(2)), UUID.fromString(ids.get(3))};
      assertThat(pg.count("SELECT count(*) FROM spool WHERE application_id = ANY($1) AND published_at IS NULL", waiting))
          .as("the unreadable row and the one behind it wait").isEqualTo(2);

      // changed back: readable again, it and the row behind it go, in order
      flipAByte(pg, UUID.fromString(ids.get(2)));
      pg.awaitSpoolEmpty(Duration.ofSeconds(60));
      // in the order first seen (a publish that timed out while the broker came back may leave a twin, never a reorder)
      var seen = new java.util.LinkedHashSet<String>();
      Topic.records(intake.kafkaBootstrap(), TOPIC, r -> ids.contains(Topic.header(r, "ce_id")), 4).stream()
          .sorted(java.util.Comparator.comparingLong(r -> r.offset())).forEach(r -> seen.add(Topic.header(r, "ce_id")));
      assertThat(seen).containsExactlyElementsOf(ids);
    } finally {
      if (!kafka.process().isAlive()) kafka.start();
    }
  }

  /** Flips one bit near the end of the application's spooled bytes (twice: as it was); the rows changed. */
  private static long flipAByte(PgProbe pg, Object applicationId) {
    return pg.count("WITH c AS (UPDATE spool SET value = set_byte(value, length(value) - 5, get_byte(value, length(value) - 5) # 1) "
        + "WHERE application_id = $1 AND ce_type = 'gov.intake.application.submitted.v1' RETURNING 1) SELECT count(*) FROM c", applicationId);
  }

  private static int copiesOf(TestIntake intake, String applicationId) {
    return Topic.records(intake.kafkaBootstrap(), TOPIC, r -> applicationId.equals(Topic.header(r, "ce_id")), 1).size();
  }
}
