package eu.gov.intake.cli;

import eu.gov.intake.config.IntakeConfig;
import eu.gov.intake.migration.Migrations;
import io.vertx.core.Vertx;
import eu.gov.intake.postgres.PostgresClients;
import io.vertx.sqlclient.Pool;
import java.util.Map;

/**
 * The admin commands' PostgreSQL: {@code INTAKE_PG_URL}, one small pool, on the main thread (a command line may
 * wait). Opening checks the schema as {@code serve} does: a schema that is not current is refused, unless
 * {@code INTAKE_MIGRATE=auto}.
 */
final class Database implements AutoCloseable {
  final Vertx vertx;
  final Pool pool;

  private Database(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  static Database open(Map<String, String> env) {
    var settings = IntakeConfig.adminFromEnv(env);  // a missing or unreadable setting is InvalidConfig: exit 2
    var db = connect(settings);
    try {
      Migrations.ensure(db.vertx, db.pool, settings.migrate()).await();
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** Without the schema check: {@code migrate} itself. */
  static Database connect(Map<String, String> env) { return connect(IntakeConfig.adminFromEnv(env)); }

  private static Database connect(IntakeConfig.AdminSettings settings) {
    var vertx = Vertx.vertx();
    return new Database(vertx, PostgresClients.pool(vertx, settings.postgres(), settings.postgres().poolSize(), "admin"));
  }

  @Override public void close() {
    pool.close().await();
    vertx.close().await();
  }
}
