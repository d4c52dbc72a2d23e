package eu.gov.intake.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.audit.LedgerChain;
import eu.gov.intake.migration.Migrations;
import eu.gov.intake.testing.Await;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, item 5: the ledger kept every application and its history for ever. With a retention, the purge job
 * removes the front of each department's chain that is older than it, and the applications left with no entry;
 * an application with a recent entry stays, and what stays still verifies (and a change to it still shows).
 */
@ExtendWith(IntakeTestRun.class)
class LedgerRetentionIT {
  @Test
  void entriesOlderThanTheRetentionGoAndTheChainThatStaysStillVerifies(TestIntake intake) throws Exception {
    String database = "ledger_retention_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    var vertx = Vertx.vertx();
    try (var pg = new PgProbe(PgProbe.freshDatabase(intake.pgUrl(), database))) {
      Migrations.apply(vertx, pg.pool()).await();
      String a1 = "01a21262-2415-732e-88c4-000000000001", a2 = "01a21262-2415-732e-88c4-000000000002",
          a3 = "01a21262-2415-732e-88c4-000000000003", h1 = "01a21262-2415-732e-88c4-000000000004",
          a4 = "01a21262-2415-732e-88c4-000000000005";
      pg.pool().query("SELECT ledger_record_accepted(ARRAY['" + a1 + "','" + a2 + "','" + a3 + "','" + h1 + "']::uuid[], "
          + "ARRAY['SHTAX-0001','SHTAX-0001','SHTAX-0001','SHHOUSING-0009'], ARRAY['SHTAX','SHTAX','SHTAX','SHHOUSING'], "
          + "ARRAY['demo-web','demo-web','demo-web','demo-web'], "
          + "ARRAY['2020-01-01 08:00:00+00','2020-01-01 08:00:01+00','2020-01-01 08:00:02+00','2020-01-01 08:00:03+00']::timestamptz[])")
          .execute().await();
      pg.pool().query("SELECT ledger_record_accepted(ARRAY['" + a4 + "']::uuid[], ARRAY['SHTAX-0001'], ARRAY['SHTAX'], "
          + "ARRAY['demo-web'], ARRAY[now()])").execute().await();
      // a recent decision on an old application: the application stays, its old acceptance goes
      pg.pool().query("UPDATE applications SET status = 'IN_REVIEW', updated_at = now() WHERE application_id = '" + a1 + "'").execute().await();
      pg.pool().query("INSERT INTO application_history (event_id, application_id, status, note, at, by_client, department_code) "
          + "VALUES ('change-1', '" + a1 + "', 'IN_REVIEW', NULL, now(), 'dept-shtax', 'SHTAX')").execute().await();
      assertThat(LedgerChain.verify(pg.pool(), "SHTAX").await().intact()).isTrue();

      var retention = new LedgerRetention(vertx, pg.pool(), Duration.ofDays(365));
      retention.start();
      try {
        Await.until("the old entries purged", Duration.ofSeconds(30), Duration.ofMillis(100),
            () -> pg.count("SELECT count(*) FROM application_history") == 2);
      } finally {
        retention.stop().await();
      }
      assertThat(pg.count("SELECT count(*) FROM applications WHERE application_id IN ('" + a1 + "', '" + a4 + "')")).isEqualTo(2);
      assertThat(pg.count("SELECT count(*) FROM applications")).as("a2, a3 and h1 had nothing left").isEqualTo(2);
      assertThat(pg.count("SELECT chain_seq FROM ledger_chain_starts WHERE department_code = 'SHTAX'")).isEqualTo(3);

      var tax = LedgerChain.verify(pg.pool(), "SHTAX").await();
      assertThat(tax.intact()).as(tax.problem()).isTrue();
      assertThat(tax.entries()).isEqualTo(5);
      assertThat(tax.startsAfter()).as("checked from after the cut").isEqualTo(3);
      var housing = LedgerChain.verify(pg.pool(), "SHHOUSING").await();
      assertThat(housing.intact()).as(housing.problem()).isTrue();

      pg.pool().query("UPDATE application_history SET note = 'changed' WHERE event_id = 'change-1'").execute().await();
      var changed = LedgerChain.verify(pg.pool(), "SHTAX").await();
      assertThat(changed.intact()).as("a change after the cut still shows").isFalse();
      assertThat(changed.problem()).contains("change-1");
    } finally {
      vertx.close().await();
      try (var admin = new PgProbe(intake.pgUrl())) {
        admin.pool().query("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)").execute().await();
      }
    }
  }
}
