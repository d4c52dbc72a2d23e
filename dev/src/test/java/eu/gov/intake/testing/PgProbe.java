package eu.gov.intake.testing;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;

/** A PostgreSQL pool of the test's own, to arrange or check what Intake keeps there. */
public final class PgProbe implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Pool pool;

  public PgProbe(String url) { this(PgConnectOptions.fromUri(url)); }

  public PgProbe(PgConnectOptions options) { this.pool = PgBuilder.pool().connectingTo(options).using(vertx).build(); }

  /** Over TLS, the server's certificate and host name checked against {@code ca}. */
  public static PgProbe verifyFull(String url, java.nio.file.Path ca) {
    return new PgProbe(PgConnectOptions.fromUri(url).setSslMode(io.vertx.pgclient.SslMode.VERIFY_FULL)
        .setSslOptions(new io.vertx.core.net.ClientSSLOptions().setHostnameVerificationAlgorithm("HTTPS")
            .setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(ca.toString()))));
  }

  /** A database of its own beside the test run's, for an Intake that must not share a spool; its URL. */
  public static String freshDatabase(String url, String name) {
    try (var probe = new PgProbe(url)) {
      probe.pool.query("DROP DATABASE IF EXISTS " + name).execute().await();
      probe.pool.query("CREATE DATABASE " + name).execute().await();
    }
    return url.replaceFirst("/[^/?]*$", "/" + name);
  }

  public Pool pool() { return pool; }

  /** The first column of the first row of a query that returns one number. */
  public long count(String sql, Object... params) {
    return pool.preparedQuery(sql).execute(io.vertx.sqlclient.Tuple.from(params)).await().iterator().next().getLong(0);
  }

  /** Waits (bounded) until the relay has published everything spooled; fails the test if it does not. */
  public void awaitSpoolEmpty(java.time.Duration atMost) {
    Await.until("the spool drained", atMost, java.time.Duration.ofMillis(50),
        () -> count("SELECT count(*) FROM spool WHERE published_at IS NULL") == 0);
  }

  /** Waits (bounded) until the ledger has every one of these applications; fails the test if it does not. */
  public void awaitInLedger(java.util.Collection<String> applicationIds, java.time.Duration atMost) {
    Object ids = applicationIds.stream().map(java.util.UUID::fromString).toArray(java.util.UUID[]::new);
    Await.until("all " + applicationIds.size() + " applications in the ledger", atMost, java.time.Duration.ofMillis(100),
        () -> count("SELECT count(*) FROM applications WHERE application_id = ANY($1)", ids) == applicationIds.size());
  }


  @Override public void close() {
    pool.close().await();
    vertx.close().await();
  }
}
