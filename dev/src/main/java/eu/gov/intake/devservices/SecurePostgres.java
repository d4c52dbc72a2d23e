package eu.gov.intake.devservices;

import java.nio.file.Path;
import java.util.Optional;

/** A PostgreSQL that takes TLS connections only, with a certificate of the test run's own CA. */
public final class SecurePostgres implements AutoCloseable {
  private final PostgresServer server;
  private final Certificates certificates;

  private SecurePostgres(PostgresServer server, Certificates certificates) {
    this.server = server;
    this.certificates = certificates;
  }

  public static SecurePostgres start(Path dir, Certificates certificates) {
    var server = new PostgresServer(Kept.dir(dir, "postgres"), Kept.port(dir, "port"), Kept.secret(dir, "password"),
        Optional.of(certificates));
    server.start();
    return new SecurePostgres(server, certificates);
  }

  /** postgresql://intake:password@127.0.0.1:port/postgres: the password in it, TLS a setting of its own. */
  public String url() { return server.endpoint(); }

  public Certificates certificates() { return certificates; }

  public DevServer server() { return server; }

  @Override public void close() { server.stop(); }
}
