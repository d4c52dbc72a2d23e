package eu.gov.intake.estate;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.devservices.Certificates;
import eu.gov.intake.devservices.RedisTls;
import eu.gov.intake.devservices.SecureKafka;
import eu.gov.intake.devservices.SecurePostgres;
import eu.gov.intake.testing.Await;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.OperatorIntake;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestDirs;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Intake as an operator runs it (`intake migrate`, `catalog load`, `clients create`, `serve`, only INTAKE_* settings)
 * on a secured estate: a Kafka broker that takes SASL_SSL (SCRAM-SHA-512) only, a Redis that takes TLS and an ACL
 * user only, and a PostgreSQL that takes TLS only, checked with verify-full. Every secret comes from a file.
 * Then the same with one thing wrong at a time: each is a start that fails in one line naming the dependency,
 * with no secret in anything it printed.
 */
@ExtendWith(IntakeTestRun.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SecuredServersIT {
  private static Path dir;
  private static Certificates certificates;
  private static SecureKafka kafka;
  private static RedisTls redis;
  private static SecurePostgres postgres;
  private static Map<String, String> settings;

  @BeforeAll
  static void startTheSecuredServers() throws Exception {
    dir = TestDirs.fresh("secured");
    certificates = Certificates.in(Files.createDirectories(dir.resolve("tls")));
    kafka = SecureKafka.start(dir.resolve("kafka"), certificates);
    redis = RedisTls.start(dir.resolve("redis"), certificates);
    postgres = SecurePostgres.start(dir.resolve("pg"), certificates);
    settings = settings(kafka.password(), certificates.trustStore(), redis.password(), certificates.caPem());
  }

  @AfterAll
  static void stopThem() {
    if (kafka != null) kafka.close();
    if (redis != null) redis.close();
    if (postgres != null) postgres.close();
  }

  /**
   * Every secret in a file: the PG password, the Redis password, the JAAS password (a file of its own, as a mounted
   * Kubernetes Secret gives it: Kafka's directory config provider) and the trust store's (a properties file: Kafka's
   * file config provider).
   */
  private static Map<String, String> settings(String kafkaPassword, Path kafkaTrustStore, String redisPassword, Path ca) throws Exception {
    Path secrets = Files.createDirectories(dir.resolve("secrets-" + UUID.randomUUID()));
    String pgUrl = postgres.url();
    String pgPassword = pgPassword();
    Files.writeString(secrets.resolve("pg-password"), pgPassword + "\n");
    Files.writeString(secrets.resolve("redis-password"), redisPassword + "\n");
    Files.writeString(secrets.resolve("kafka-password"), kafkaPassword);   // the provider takes the file's bytes as they are
    Files.writeString(secrets.resolve("kafka.properties"), "truststore=" + certificates.storePassword() + "\n");
    var env = new HashMap<String, String>();
    env.put("INTAKE_PG_URL", pgUrl.replace(":" + pgPassword + "@", "@"));
    env.put("INTAKE_PG_PASSWORD_FILE", secrets.resolve("pg-password").toString());
    env.put("INTAKE_PG_SSLMODE", "verify-full");
    env.put("INTAKE_PG_CA_FILE", ca.toString());
    env.put("INTAKE_REDIS_URL", redis.url());
    env.put("INTAKE_REDIS_USER", RedisTls.USER);
    env.put("INTAKE_REDIS_PASSWORD_FILE", secrets.resolve("redis-password").toString());
    env.put("INTAKE_REDIS_CA_FILE", ca.toString());
    env.put("INTAKE_KAFKA_BOOTSTRAP", kafka.bootstrap());
    env.put("INTAKE_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("INTAKE_KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512");
    env.put("INTAKE_KAFKA_CLIENT_CONFIG_PROVIDERS", "file,directory");
    env.put("INTAKE_KAFKA_CLIENT_CONFIG_PROVIDERS_FILE_CLASS", "org.apache.kafka.common.config.provider.FileConfigProvider");
    env.put("INTAKE_KAFKA_CLIENT_CONFIG_PROVIDERS_DIRECTORY_CLASS", "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
    String props = secrets.resolve("kafka.properties").toString();
    env.put("INTAKE_KAFKA_CLIENT_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
        + "username=\"" + SecureKafka.USER + "\" password=\"${directory:" + secrets + ":kafka-password}\";");
    env.put("INTAKE_KAFKA_CLIENT_SSL_TRUSTSTORE_TYPE", "PKCS12");
    env.put("INTAKE_KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION", kafkaTrustStore.toString());
    env.put("INTAKE_KAFKA_CLIENT_SSL_TRUSTSTORE_PASSWORD", "${file:" + props + ":truststore}");
    return env;
  }

  @Test
  void submitsRelaysConsumesAndReadsOnTheSecuredServers(TestIntake shared) throws Exception {
    try (var intake = OperatorIntake.start(dir.resolve("intake"), settings, "secured-web", 100_000, 100_000)) {
      var direct = submit(intake, 20);
      // the broker stopped: the applications go to the spool, and the relay sends them once it is back
      kafka.broker().process().pause();
      List<String> spooled;
      try {
        spooled = submit(intake, 10);
      } finally {
        kafka.broker().process().resume();
      }
      try (var pg = PgProbe.verifyFull(postgres.url(), certificates.caPem())) {
        assertThat(pg.count("SELECT count(*) FROM spool WHERE application_id = ANY($1)",
            (Object) spooled.stream().map(UUID::fromString).toArray(UUID[]::new))).as("spooled while the broker was stopped").isEqualTo(10);
        pg.awaitSpoolEmpty(Duration.ofSeconds(60));
        var all = new ArrayList<>(direct);
        all.addAll(spooled);
        pg.awaitInLedger(all, Duration.ofSeconds(60));                    // the ledger consumer, over SASL_SSL
      }
      var records = Topic.records(kafka.clientProperties(), "intake.applications.shtax",
          r -> direct.contains(Topic.header(r, "ce_id")) || spooled.contains(Topic.header(r, "ce_id")), 30);
      // a send cut off by the pause may land beside its spooled copy: a twin under the same ce_id, as the contract allows
      assertThat(records.stream().map(r -> Topic.header(r, "ce_id")).collect(java.util.stream.Collectors.toSet()))
          .containsExactlyInAnyOrderElementsOf(new java.util.HashSet<>(concat(direct, spooled)));
      // a retry with the same key is answered from Redis over TLS, with the first attempt's id
      String body = eu.gov.intake.testing.Applications.taxReturn(eu.gov.intake.testing.Applications.freshApplicant()).encode();
      var first = Http.submit(intake.apiPort(), intake.apiKey(), "secured-replay", body);
      var retry = Http.submit(intake.apiPort(), intake.apiKey(), "secured-replay", body);
      assertThat(first.statusCode()).isEqualTo(202);
      assertThat(new JsonObject(retry.body()).getString("applicationId")).isEqualTo(new JsonObject(first.body()).getString("applicationId"));
      assertThat(Files.readString(intake.process().log())).doesNotContain(kafka.password(), redis.password(), pgPassword());
    }
  }

  @Test
  void aWrongPasswordOrAnUntrustedCertificateIsAStartThatFailsNamingTheDependency() throws Exception {
    var cases = new java.util.LinkedHashMap<String, Map<String, String>>();
    cases.put("Kafka", settings("wrong-kafka-password", certificates.trustStore(), redis.password(), certificates.caPem()));
    cases.put("Kafka ", settings(kafka.password(), certificates.otherTrustStore(), redis.password(), certificates.caPem()));
    cases.put("Redis", settings(kafka.password(), certificates.trustStore(), "wrong-redis-password", certificates.caPem()));
    var otherRedisCa = new HashMap<>(settings);
    otherRedisCa.put("INTAKE_REDIS_CA_FILE", certificates.otherCaPem().toString());
    cases.put("Redis ", otherRedisCa);
    var otherPgCa = new HashMap<>(settings);
    otherPgCa.put("INTAKE_PG_CA_FILE", certificates.otherCaPem().toString());
    cases.put("PostgreSQL", otherPgCa);
    var wrongPg = new HashMap<>(settings);
    wrongPg.put("INTAKE_PG_PASSWORD_FILE", Files.writeString(dir.resolve("wrong-pg"), "wrong-pg-password").toString());
    cases.put("PostgreSQL ", wrongPg);
    var plainPg = new HashMap<>(settings);
    plainPg.put("INTAKE_PG_SSLMODE", "disable");
    cases.put("PostgreSQL  ", plainPg);
    for (var c : cases.entrySet()) {
      var refused = OperatorIntake.refusedStart(dir.resolve("refused-" + UUID.randomUUID() + ".log"), c.getValue());
      String dependency = c.getKey().strip();
      assertThat(refused.exit()).as(c.getKey() + ": " + refused.output()).isEqualTo(1);
      var line = refused.output().lines().filter(l -> l.contains("Intake cannot start")).toList();
      assertThat(line).as(refused.output()).hasSize(1);
      assertThat(line.get(0)).as(c.getKey()).contains("Intake cannot start: " + dependency + " (");
      assertThat(refused.output()).as("no secret in what it printed").doesNotContain(kafka.password(), redis.password(), pgPassword(),
          "wrong-kafka-password", "wrong-redis-password", "wrong-pg-password", certificates.storePassword());
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    var all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String pgPassword() {
    String url = postgres.url();
    return url.substring(url.indexOf(':', "postgresql://".length()) + 1, url.indexOf('@'));
  }

  private static List<String> submit(OperatorIntake intake, int n) {
    var ids = new ArrayList<String>();
    for (int i = 0; i < n; i++) {
      var answer = intake.submit("secured-" + UUID.randomUUID());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      ids.add(new JsonObject(answer.body()).getString("applicationId"));
    }
    return ids;
  }
}
