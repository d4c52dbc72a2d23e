package eu.gov.intake.dev;

import eu.gov.intake.cli.IntakeCli;
import eu.gov.intake.devservices.Certificates;
import eu.gov.intake.devservices.KafkaCluster;
import eu.gov.intake.devservices.OwnerOnly;
import eu.gov.intake.devservices.RedisCluster;
import eu.gov.intake.devservices.RedisSentinels;
import eu.gov.intake.devservices.RedisTls;
import eu.gov.intake.devservices.SecureKafka;
import eu.gov.intake.devservices.SecurePostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The servers of a secured, clustered estate, the same the estate tests run, for anyone who wants to try Intake on
 * them: started under {@code INTAKE_DATA_DIR/estate}, the settings that reach them printed (secrets as files), kept
 * until Ctrl-C.
 */
@Command(name = "estate", mixinStandardHelpOptions = true,
    description = {"Starts the servers of a secured or clustered estate on loopback and prints the INTAKE_* settings for "
        + "them (secrets as files), until Ctrl-C: kafka-cluster (three KRaft brokers), kafka-sasl (SASL_SSL, SCRAM-SHA-512), "
        + "redis-cluster (three masters, a replica each), redis-sentinel, redis-tls (TLS and an ACL user), postgres-tls "
        + "(TLS only, for verify-full). Needs Debian's redis-server 7 and redis-tools, openssl."})
final class EstateCommand implements Callable<Integer> {
  private static final List<String> PARTS = List.of("kafka-cluster", "kafka-sasl", "redis-cluster", "redis-sentinel", "redis-tls", "postgres-tls");

  private final IntakeCli.Context context;

  @Parameters(paramLabel = "<part>", arity = "1..*", description = "one or more of: ${COMPLETION-CANDIDATES}", completionCandidates = Parts.class)
  List<String> parts;

  EstateCommand(IntakeCli.Context context) { this.context = context; }

  static final class Parts extends ArrayList<String> {
    Parts() { super(PARTS); }
  }

  @Override public Integer call() throws Exception {
    var unknown = parts.stream().filter(p -> !PARTS.contains(p)).toList();
    if (!unknown.isEmpty()) {
      context.err().println("estate: unknown part " + String.join(", ", unknown) + " (one of " + String.join(", ", PARTS) + ")");
      return 2;
    }
    for (String kind : List.of("kafka-", "redis-", "postgres-")) {
      if (parts.stream().filter(p -> p.startsWith(kind)).count() > 1) {
        context.err().println("estate: one " + kind.substring(0, kind.length() - 1) + " part at a time: Intake connects to one");
        return 2;
      }
    }
    Path dir = Path.of(context.env().getOrDefault("INTAKE_DATA_DIR", ".intake"), "estate");
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
    var certificates = Certificates.in(dir.resolve("certificates"));
    // read by the shutdown hook while start-up may still add to it
    var running = new java.util.concurrent.CopyOnWriteArrayList<AutoCloseable>();
    var settings = new LinkedHashMap<String, String>();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.reversed().forEach(EstateCommand::closeQuietly);
      stopped.countDown();
    }, "estate-stop"));
    for (String part : parts) {
      switch (part) {
        case "kafka-cluster" -> settings.put("INTAKE_KAFKA_BOOTSTRAP", started(running, KafkaCluster.start(dir.resolve(part))).bootstrap());
        case "kafka-sasl" -> {
          var kafka = started(running, SecureKafka.start(dir.resolve(part), certificates));
          settings.put("INTAKE_KAFKA_BOOTSTRAP", kafka.bootstrap());
          settings.put("INTAKE_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL");
          settings.put("INTAKE_KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512");
          settings.put("INTAKE_KAFKA_CLIENT_CONFIG_PROVIDERS", "directory");
          settings.put("INTAKE_KAFKA_CLIENT_CONFIG_PROVIDERS_DIRECTORY_CLASS", "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
          settings.put("INTAKE_KAFKA_CLIENT_SASL_JAAS_CONFIG", "'org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
              + SecureKafka.USER + "\" password=\"" + provided(secret(secrets, "kafka-password", kafka.password())) + "\";'");
          settings.put("INTAKE_KAFKA_CLIENT_SSL_TRUSTSTORE_TYPE", "PKCS12");
          settings.put("INTAKE_KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION", certificates.trustStore().toAbsolutePath().toString());
          settings.put("INTAKE_KAFKA_CLIENT_SSL_TRUSTSTORE_PASSWORD",
              "'" + provided(secret(secrets, "truststore-password", certificates.storePassword())) + "'");
        }
        case "redis-cluster" -> {
          settings.put("INTAKE_REDIS_MODE", "cluster");
          settings.put("INTAKE_REDIS_URL", started(running, RedisCluster.start(dir.resolve(part))).urls());
        }
        case "redis-sentinel" -> {
          settings.put("INTAKE_REDIS_MODE", "sentinel");
          settings.put("INTAKE_REDIS_URL", started(running, RedisSentinels.start(dir.resolve(part))).urls());
          settings.put("INTAKE_REDIS_MASTER_NAME", RedisSentinels.MASTER_NAME);
        }
        case "redis-tls" -> {
          var redis = started(running, RedisTls.start(dir.resolve(part), certificates));
          settings.put("INTAKE_REDIS_URL", redis.url());
          settings.put("INTAKE_REDIS_USER", RedisTls.USER);
          settings.put("INTAKE_REDIS_PASSWORD_FILE", secret(secrets, "redis-password", redis.password()).toAbsolutePath().toString());
          settings.put("INTAKE_REDIS_CA_FILE", certificates.caPem().toAbsolutePath().toString());
        }
        case "postgres-tls" -> {
          var postgres = started(running, SecurePostgres.start(dir.resolve(part), certificates));
          // the URL as dev services give it holds the password: split it off into a file
          var withPassword = java.util.regex.Pattern.compile("//([^:/@]+):([^@/]+)@").matcher(postgres.url());
          if (!withPassword.find()) throw new IllegalStateException("no password in the dev PostgreSQL's URL");
          settings.put("INTAKE_PG_URL", withPassword.replaceFirst("//$1@"));
          settings.put("INTAKE_PG_PASSWORD_FILE", secret(secrets, "pg-password", withPassword.group(2)).toAbsolutePath().toString());
          settings.put("INTAKE_PG_SSLMODE", "verify-full");
          settings.put("INTAKE_PG_CA_FILE", certificates.caPem().toAbsolutePath().toString());
        }
        default -> throw new IllegalStateException(part);
      }
    }
    context.out().println("# the estate is up; Ctrl-C stops it. Intake's settings for it:");
    settings.forEach((name, value) -> context.out().println(name + "=" + value));
    context.out().flush();
    stopped.await();
    return 0;
  }

  private static <T extends AutoCloseable> T started(List<AutoCloseable> running, T server) {
    running.add(server);
    return server;
  }

  /** A secret as a file of its own, readable by its owner only, as a mounted Secret would hand it over. */
  private static Path secret(Path dir, String name, String value) throws IOException {
    return OwnerOnly.write(dir.resolve(name), value);
  }

  /** Kafka's directory config provider's reference to a secret file: the client reads it, nothing prints it. */
  private static String provided(Path secretFile) {
    return "${directory:" + secretFile.getParent().toAbsolutePath() + ":" + secretFile.getFileName() + "}";
  }

  private static void closeQuietly(AutoCloseable server) {
    try {
      server.close();
    } catch (Exception e) {
      System.err.println("estate: could not stop a server: " + e.getMessage());
    }
  }
}
