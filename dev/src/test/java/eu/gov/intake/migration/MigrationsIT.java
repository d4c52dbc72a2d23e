package eu.gov.intake.migration;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Cli;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code intake migrate} as a step of its own, on a database of this test's own: the admin commands refuse a
 * schema that is behind, ahead, or edited after it was applied; {@code migrate} applies what is pending and
 * refuses the other two.
 */
@ExtendWith(IntakeTestRun.class)
class MigrationsIT {
  @Test
  void aSchemaBehindAheadOrEditedIsRefusedWithOneLineAndMigrateMakesItCurrent(TestIntake intake) {
    String database = "migrations_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (var admin = new PgProbe(intake.pgUrl())) {
      admin.pool().query("CREATE DATABASE " + database).execute().await();
    }
    String url = intake.pgUrl().replaceAll("/[^/]*$", "/" + database);
    var env = Map.of("INTAKE_PG_URL", url);

    var behind = Cli.run(env, "migrate", "--check");
    assertThat(behind.exit()).isEqualTo(1);
    assertThat(behind.out()).contains("at version 0").containsPattern("needs \\d+").contains("intake migrate");
    var refused = Cli.run(env, "clients", "list");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err().strip().lines()).hasSize(1);
    assertThat(refused.err()).contains("intake migrate");

    var migrate = Cli.run(env, "migrate");
    assertThat(migrate.exit()).as(migrate.err()).isZero();
    assertThat(migrate.out()).contains("applied V1__catalog_and_clients.sql");
    assertThat(Cli.run(env, "migrate").out()).contains("nothing to apply");
    var current = new JsonObject(Cli.run(env, "migrate", "--check", "--json").out());
    assertThat(current.getBoolean("current")).isTrue();
    int version = current.getInteger("applied");
    assertThat(Cli.run(env, "clients", "list").exit()).isZero();
    // with INTAKE_MIGRATE=auto an admin command migrates by itself (dev mode); here nothing is left to do
    assertThat(Cli.run(Map.of("INTAKE_PG_URL", url, "INTAKE_MIGRATE", "auto"), "clients", "list").exit()).isZero();

    try (var pg = new PgProbe(url)) {
      // an applied file edited afterwards: its recorded checksum no longer matches
      pg.pool().query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 3").execute().await();
      var edited = Cli.run(env, "migrate", "--check");
      assertThat(edited.exit()).isEqualTo(1);
      assertThat(edited.out()).contains("V3__catalog_version.sql").contains("edited");
      assertThat(Cli.run(env, "migrate").exit()).as("migrate refuses to build on an edited file").isEqualTo(1);
      pg.pool().query("UPDATE schema_migrations SET checksum = NULL WHERE version = 3").execute().await();
      assertThat(Cli.run(env, "migrate").exit()).as("a missing checksum is recorded again").isZero();
      assertThat(pg.count("SELECT count(*) FROM schema_migrations WHERE checksum IS NULL")).isZero();

      // an older Intake rolled back onto a database a newer one migrated
      pg.pool().query("INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'V999__from_the_future.sql', 'x')")
          .execute().await();
      var ahead = Cli.run(env, "ledger", "verify", "SHTAX");
      assertThat(ahead.exit()).isEqualTo(1);
      assertThat(ahead.err()).contains("at version 999").contains("newer than this Intake's " + version);
      var aheadMigrate = Cli.run(env, "migrate");
      assertThat(aheadMigrate.exit()).isEqualTo(1);
      assertThat(aheadMigrate.err()).contains("V999__from_the_future.sql");
    }
  }
}
