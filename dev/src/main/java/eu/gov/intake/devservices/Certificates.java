package eu.gov.intake.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A certificate authority of the test run's own, made with openssl and keytool on first use and kept in its
 * directory: a server certificate for {@code localhost} and {@code 127.0.0.1} (PEM files for Redis and PostgreSQL,
 * a PKCS12 key store for Kafka), a PKCS12 trust store with the CA, and a second CA that signed nothing, for the
 * tests that show an untrusted certificate refused.
 */
public final class Certificates {
  private final Path dir;
  private final String storePassword;

  private Certificates(Path dir, String storePassword) {
    // absolute: the servers that read these files run in directories of their own
    this.dir = dir.toAbsolutePath();
    this.storePassword = storePassword;
  }

  /** Makes what is missing under {@code dir}; blocks. */
  public static Certificates in(Path dir) {
    var certificates = new Certificates(dir, Kept.secret(dir, "store.password"));
    certificates.make();
    return certificates;
  }

  public Path caPem() { return dir.resolve("ca.pem"); }

  public Path otherCaPem() { return dir.resolve("other-ca.pem"); }

  public Path serverPem() { return dir.resolve("server.pem"); }

  public Path serverKey() { return dir.resolve("server.key"); }

  public Path keyStore() { return dir.resolve("server.p12"); }

  public Path trustStore() { return dir.resolve("truststore.p12"); }

  public Path otherTrustStore() { return dir.resolve("other-truststore.p12"); }

  public String storePassword() { return storePassword; }

  private void make() {
    if (Files.exists(otherTrustStore())) return;
    Path log = dir.resolve("certificates.log");
    try {
      Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    } catch (IOException e) {
      throw new DevServiceFailure("cannot write in " + dir, e);
    }
    run(log, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("ca.key"), "-out", path("ca.pem"),
        "-days", "3650", "-subj", "/CN=Intake test CA");
    run(log, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", path("server.key"), "-out", path("server.csr"),
        "-subj", "/CN=localhost");
    run(log, "openssl", "x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
        "-CAcreateserial", "-out", path("server.pem"), "-days", "3650", "-extfile", path("san.ext"));
    run(log, "openssl", "pkcs12", "-export", "-in", path("server.pem"), "-inkey", path("server.key"), "-certfile", path("ca.pem"),
        "-name", "server", "-out", path("server.p12"), "-passout", "pass:" + storePassword);
    run(log, keytool(), "-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.pem"), "-keystore", path("truststore.p12"),
        "-storetype", "PKCS12", "-storepass", storePassword);
    run(log, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("other-ca.key"), "-out", path("other-ca.pem"),
        "-days", "3650", "-subj", "/CN=Some other CA");
    run(log, keytool(), "-importcert", "-noprompt", "-alias", "ca", "-file", path("other-ca.pem"), "-keystore",
        path("other-truststore.p12"), "-storetype", "PKCS12", "-storepass", storePassword);
  }

  /** The running JDK's keytool: nothing on PATH is assumed. */
  private static String keytool() { return Path.of(System.getProperty("java.home"), "bin", "keytool").toString(); }

  private String path(String name) { return dir.resolve(name).toString(); }

  private static void run(Path log, String... command) {
    ManagedProcess.runToCompletion(command[0] + " " + command[1], List.of(command), log, Duration.ofMinutes(1));
  }
}
