package eu.gov.intake.testing;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;

/** A PostgreSQL pool of the test's own, to arrange or check what Intake keeps there. */
public final class PgProbe implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Pool pool;

  public PgProbe(String url) { this.pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build(); }

  public Pool pool() { return pool; }

  @Override public void close() {
    pool.close().await();
    vertx.close().await();
  }
}
