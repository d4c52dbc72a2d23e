package eu.gov.intake.postgres;

import eu.gov.intake.config.PostgresSettings;
import eu.gov.intake.config.Secret;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Every PostgreSQL pool Intake opens (the service's, its health check's, the admin commands') is built here, with
 * TLS as {@code sslmode} says it the way libpq does: {@code require} (and {@code allow}/{@code prefer}) encrypt
 * without checking the server unless a CA file is given; {@code verify-ca} checks the certificate against the CA
 * file, {@code verify-full} the host name too.
 */
public final class PostgresClients {
  private PostgresClients() {}

  /** For the admin commands and the migrations: statements as long as they take. */
  public static Pool pool(Vertx vertx, PostgresSettings settings, int size, String name) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(size).setName(name))
        .connectingTo(connectOptions(settings).setMetricsName(name)).using(vertx).build();
  }

  /**
   * For the running service: a bounded wait for a connection ({@link PostgresSettings.Pools#waiting}), and the
   * server cancels a statement past {@link PostgresSettings.Pools#statementTimeout} (a startup parameter of each
   * connection, so it holds whatever the statement).
   */
  public static Pool servicePool(Vertx vertx, PostgresSettings settings, int size, String name) {
    var pools = settings.pools();
    var options = connectOptions(settings).setMetricsName(name);
    // 0: not sent at all (a pooler such as PgBouncer in transaction mode refuses startup parameters it does not know)
    if (!pools.statementTimeout().isZero()) options.addProperty("statement_timeout", Long.toString(pools.statementTimeout().toMillis()));
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(size).setName(name).setMaxWaitQueueSize(pools.waiting()))
        .connectingTo(options).using(vertx).build();
  }

  static PgConnectOptions connectOptions(PostgresSettings settings) {
    var endpoint = settings.endpoint().orElseThrow();
    var options = new PgConnectOptions().setHost(endpoint.host()).setPort(endpoint.port()).setDatabase(endpoint.database())
        .setUser(endpoint.user()).setPassword(endpoint.password().map(Secret::value).orElse(null))
        .setSslMode(SslMode.of(settings.sslMode()));
    var ssl = new ClientSSLOptions();
    settings.caFile().ifPresentOrElse(ca -> ssl.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())),
        () -> ssl.setTrustAll(true));  // only reached by the modes that do not verify: the config refuses verify-* without a CA
    ssl.setHostnameVerificationAlgorithm(settings.sslMode().equals("verify-full") ? "HTTPS" : "");
    return options.setSslOptions(ssl);
  }
}
