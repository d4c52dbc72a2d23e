package eu.gov.intake.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL 17 run from its own binaries as a direct child, so that a SIGKILL of Intake takes it
 * down too (zonky's launcher goes through pg_ctl, which detaches the server). PostgreSQL refuses to run as
 * root; under root it runs in a user namespace where it is an ordinary user (it still writes files as root).
 */
final class PostgresServer implements DevServer {
  static final String USER = "intake";
  static final String DATABASE = "postgres";

  private final Path dir;
  private final int port;
  private final String password;
  private final Path home;
  private final List<String> asUnprivileged;
  private final ManagedProcess process;

  PostgresServer(Path dir, int port, String password) { this(dir, port, password, java.util.Optional.empty()); }

  private final java.util.Optional<Certificates> tls;

  /** With {@code tls}: TLS on, and a client that does not use it refused (hostssl only in pg_hba.conf). */
  PostgresServer(Path dir, int port, String password, java.util.Optional<Certificates> tls) {
    this.tls = tls;
    this.dir = dir;
    this.port = port;
    this.password = password;
    this.home = Binaries.postgresHome();
    this.asUnprivileged = runningAsRoot()
        ? List.of("unshare", "--user", "--map-user=65534", "--map-group=65534")
        : List.of();
    this.process = new ManagedProcess("postgres", asUnprivileged, List.of(home.resolve("bin/postgres").toString(),
        "-D", dataDir().toString(), "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1",
        "-c", "unix_socket_directories=", "-c", "max_connections=100", "-c", "shared_buffers=64MB",
        "-c", "ssl=" + (tls.isPresent() ? "on" : "off")),
        dir.resolve("postgres.log"), "INT");
  }

  private Path dataDir() { return dir.resolve("data"); }

  @Override public void start() {
    if (!Files.exists(dataDir().resolve("PG_VERSION"))) initdb();
    process.start();
    process.awaitPort(port, Duration.ofSeconds(30));
  }

  private void initdb() {
    Path pwfile = dir.resolve("pwfile");
    try {
      Files.writeString(pwfile, password);
      Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
      var command = new ArrayList<>(asUnprivileged);
      command.addAll(List.of(home.resolve("bin/initdb").toString(), "-D", dataDir().toString(), "-U", USER,
          "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C"));
      ManagedProcess.runToCompletion("initdb", command, dir.resolve("postgres.log"), Duration.ofMinutes(1));
      Files.delete(pwfile);
      if (tls.isPresent()) {
        // PostgreSQL reads server.crt and server.key from its data directory; the key must be the server's own, 0600
        Files.copy(tls.get().serverPem(), dataDir().resolve("server.crt"));
        Files.copy(tls.get().serverKey(), dataDir().resolve("server.key"));
        Files.setPosixFilePermissions(dataDir().resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dataDir().resolve("pg_hba.conf"), "hostssl all all 127.0.0.1/32 scram-sha-256\n");
      }
    } catch (IOException e) {
      throw new DevServiceFailure("cannot prepare PostgreSQL in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override public ManagedProcess process() { return process; }

  @Override public String endpoint() {
    return "postgresql://" + USER + ":" + password + "@127.0.0.1:" + port + "/" + DATABASE;
  }

  private static boolean runningAsRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
