package eu.gov.intake.audit;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.migration.Migrations;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Migration V6 on a ledger written before it: the history entries already there are chained in the order
 * they were written, every department's chain verifies, and entries written afterwards continue it.
 */
@ExtendWith(IntakeTestRun.class)
class ChainMigrationIT {
  @Test
  void entriesWrittenBeforeV6AreChainedAndLaterOnesContinueTheChain(TestIntake intake) throws Exception {
    String database = "chain_migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (var admin = new PgProbe(intake.pgUrl())) {
      admin.pool().query("CREATE DATABASE " + database).execute().await();
    }
    var vertx = Vertx.vertx();
    try (var pg = new PgProbe(intake.pgUrl().replaceAll("/[^/]*$", "/" + database))) {
      // the schema as of V5, recorded as applied, and a ledger written by that version
      pg.pool().query("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
          .execute().await();
      for (String name : List.of("V1__catalog_and_clients.sql", "V2__client_rate_limits.sql", "V3__catalog_version.sql",
          "V4__client_services.sql", "V5__spool_and_ledger.sql")) {
        pg.pool().query(resource("db/migration/" + name)).execute().await();
        pg.pool().query("INSERT INTO schema_migrations (version, name) VALUES (" + name.substring(1, name.indexOf("__")) + ", '" + name + "')")
            .execute().await();
      }
      pg.pool().query("""
          INSERT INTO applications VALUES
            ('01a21262-2415-732e-88c4-38f465b62ad1', 'SHTAX-0001', 'SHTAX', 'demo-web', 'IN_REVIEW', '2026-11-01 08:00:00.123456+00', '2026-11-01 09:00:00+00'),
            ('01a21262-2415-732e-88c4-38f465b62ad2', 'SHHOUSING-0009', 'SHHOUSING', 'demo-web', 'ACCEPTED', '2026-11-01 08:00:01+00', '2026-11-01 08:00:01+00'),
            ('01a21262-2415-732e-88c4-38f465b62ad3', 'SHTAX-0042', 'SHTAX', 'demo-counter', 'ACCEPTED', '2026-11-01 08:00:02.5+00', '2026-11-01 08:00:02.5+00');
          INSERT INTO application_history (event_id, application_id, status, note, at, by_client) VALUES
            ('01a21262-2415-732e-88c4-38f465b62ad1', '01a21262-2415-732e-88c4-38f465b62ad1', 'ACCEPTED', NULL, '2026-11-01 08:00:00.123456+00', 'demo-web'),
            ('01a21262-2415-732e-88c4-38f465b62ad2', '01a21262-2415-732e-88c4-38f465b62ad2', 'ACCEPTED', NULL, '2026-11-01 08:00:01+00', 'demo-web'),
            ('change-1', '01a21262-2415-732e-88c4-38f465b62ad1', 'IN_REVIEW', '资料齐全 "ok"', '2026-11-01 09:00:00+00', 'dept-shtax'),
            ('01a21262-2415-732e-88c4-38f465b62ad3', '01a21262-2415-732e-88c4-38f465b62ad3', 'ACCEPTED', NULL, '2026-11-01 08:00:02.5+00', 'demo-counter')""")
          .execute().await();

      assertThat(Migrations.state(vertx, pg.pool()).await().pending()).as("recorded before checksums were kept").contains("V6__ledger_hash_chain.sql");
      assertThat(Migrations.apply(vertx, pg.pool()).await().current()).as("V6 and any later ones applied").isTrue();

      var tax = LedgerChain.verify(pg.pool(), "SHTAX").await();
      assertThat(tax.intact()).as(tax.problem()).isTrue();
      assertThat(tax.entries()).isEqualTo(3);
      var housing = LedgerChain.verify(pg.pool(), "SHHOUSING").await();
      assertThat(housing.intact()).as(housing.problem()).isTrue();
      assertThat(housing.entries()).isEqualTo(1);
      assertThat(pg.count("SELECT chain_seq FROM application_history WHERE event_id = 'change-1'"))
          .as("in the order written: the change came after the first application's acceptance").isEqualTo(2);

      // written after the migration: by the poll's function, and by the trigger for a status change
      pg.pool().query("""
          SELECT ledger_record_accepted(ARRAY['01a21262-2415-732e-88c4-38f465b62ad4']::uuid[], ARRAY['SHTAX-0001'], ARRAY['SHTAX'],
                                        ARRAY['demo-web'], ARRAY['2026-11-02 10:00:00+00']::timestamptz[])""").execute().await();
      pg.pool().query("""
          INSERT INTO application_history (event_id, application_id, status, note, at, by_client, department_code)
          VALUES ('change-2', '01a21262-2415-732e-88c4-38f465b62ad3', 'IN_REVIEW', NULL, '2026-11-02 11:00:00+00', 'dept-shtax', 'SHTAX')""")
          .execute().await();
      var after = LedgerChain.verify(pg.pool(), "SHTAX").await();
      assertThat(after.intact()).as(after.problem()).isTrue();
      assertThat(after.entries()).isEqualTo(5);
    } finally {
      vertx.close().await();
      try (var admin = new PgProbe(intake.pgUrl())) {
        admin.pool().query("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)").execute().await();
      }
    }
  }

  private static String resource(String name) throws Exception {
    try (InputStream in = ChainMigrationIT.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
