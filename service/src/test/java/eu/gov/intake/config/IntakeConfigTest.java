package eu.gov.intake.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntakeConfigTest {
  private static final String[] PRODUCTION_KEY = eu.gov.intake.audit.ReceiptKeys.generate();
  private static final Map<String, String> PRODUCTION = Map.of(
      "INTAKE_KAFKA_BOOTSTRAP", "kafka-1:9092", "INTAKE_REDIS_URL", "redis://redis:6379",
      "INTAKE_PG_URL", "postgresql://intake:pw@pg:5432/intake", "INTAKE_APPLICANT_KEY_SECRET", "x".repeat(40),
      "INTAKE_RECEIPT_SIGNING_KEY", PRODUCTION_KEY[0]);

  @Test
  void defaultsMatchTheContract() {
    var config = IntakeConfig.fromEnv(PRODUCTION, false);
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.managementPort()).isEqualTo(9090);
    assertThat(config.maxBodyBytes()).isEqualTo(256 * 1024);
    assertThat(config.requestDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.idempotencyTtl()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void outsideDevModeEveryMissingEndpointIsNamedInOneLine() {
    assertThatThrownBy(() -> IntakeConfig.fromEnv(Map.of(), false))
        .isInstanceOf(InvalidConfig.class)
        .hasMessageContaining("INTAKE_KAFKA_BOOTSTRAP").hasMessageContaining("INTAKE_REDIS_URL")
        .hasMessageContaining("INTAKE_PG_URL").hasMessageContaining("INTAKE_APPLICANT_KEY_SECRET")
        .hasMessageContaining("INTAKE_RECEIPT_SIGNING_KEY")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void devModeNeedsNoEndpoints() {
    var config = IntakeConfig.fromEnv(Map.of(), true);
    assertThat(config.kafkaBootstrap()).isEmpty();
    assertThat(config.redisUrl()).isEmpty();
  }

  @Test
  void badValuesNameTheirVariable() {
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_HTTP_PORT", "eighty");
    env.put("INTAKE_REQUEST_DEADLINE", "10 parsecs");
    env.put("INTAKE_MAX_BODY", "512KiB");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false))
        .hasMessageContaining("INTAKE_HTTP_PORT=eighty").hasMessageContaining("INTAKE_REQUEST_DEADLINE")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("INTAKE_MAX_BODY"));
  }

  /** Issue 15: an application Kafka's producer would refuse could only wait in the spool; refused at start instead. */
  @Test
  void aBodyLimitAboveWhatTheKafkaProducerTakesIsRefused() {
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_MAX_BODY", "1MiB");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).hasMessageContaining("INTAKE_MAX_BODY")
        .hasMessageContaining("max.request.size (1048576)");
    env.put("INTAKE_KAFKA_PRODUCER_MAX_REQUEST_SIZE", "2097152");
    assertThat(IntakeConfig.fromEnv(env, false).maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(IntakeConfig.fromEnv(env, false).kafka().largestApplication()).isEqualTo(2097152 - 16384);
  }

  /** Found in review: any duration was taken, and 30s (a typo for 30d) would have emptied the ledger within the minute. */
  @Test
  void aLedgerRetentionUnderADayIsRefused() {
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_LEDGER_RETENTION", "30s");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).hasMessageContaining("INTAKE_LEDGER_RETENTION");
    env.put("INTAKE_LEDGER_RETENTION", "30d");
    assertThat(IntakeConfig.fromEnv(env, false).ledgerRetention()).contains(java.time.Duration.ofDays(30));
    env.remove("INTAKE_LEDGER_RETENTION");
    assertThat(IntakeConfig.fromEnv(env, false).ledgerRetention()).isEmpty();
  }

  @Test
  void aLeaseNotLongerThanTheDeadlineIsRefused() {
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_IDEMPOTENCY_LEASE", "5s");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).hasMessageContaining("INTAKE_IDEMPOTENCY_LEASE");
  }

  @Test
  void secretsAndUrlsWithPasswordsAreNotEchoedInErrors() {
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_APPLICANT_KEY_SECRET", "short-secret");
    env.put("INTAKE_PG_URL", "mysql://user:hunter2@db");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false))
        .hasMessageContaining("INTAKE_APPLICANT_KEY_SECRET").hasMessageContaining("INTAKE_PG_URL")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-secret").doesNotContain("hunter2"));
    assertThat(new Secret("hunter2").toString()).isEqualTo("****");
  }

  @Test
  void theConfigCanBeLoggedWithoutItsPasswords() {
    var shown = IntakeConfig.fromEnv(PRODUCTION, false).toString();
    assertThat(shown).contains("postgresql://intake@pg:5432/intake").doesNotContain(":pw@").doesNotContain("x".repeat(40))
        .doesNotContain(PRODUCTION_KEY[0]).contains("kid=");
  }

  @Test
  void kafkaSettingsPassThroughPerKindOfClientAndTheirValuesAreNeverShown() {
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_KAFKA_PRODUCER_LINGER_MS", "20");
    env.put("INTAKE_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("INTAKE_KAFKA_CLIENT_SASL_JAAS_CONFIG", "ScramLoginModule required username=\"intake\" password=\"hunter2\";");
    env.put("INTAKE_KAFKA_CONSUMER_CLIENT_RACK", "zone-a");
    var config = IntakeConfig.fromEnv(env, false);
    assertThat(config.kafka().producer()).containsEntry("linger.ms", "20");
    assertThat(config.kafka().client()).containsEntry("security.protocol", "SASL_SSL").containsKey("sasl.jaas.config");
    assertThat(config.kafka().consumer()).containsEntry("client.rack", "zone-a");
    assertThat(config.toString()).contains("sasl.jaas.config").doesNotContain("hunter2");
  }

  @Test
  void settingsThatWeakenTheDurabilityPromiseStopTheStartInOneLine() {
    for (var weakening : Map.of("INTAKE_KAFKA_PRODUCER_ACKS", "1", "INTAKE_KAFKA_CLIENT_ACKS", "0",
        "INTAKE_KAFKA_PRODUCER_ENABLE_IDEMPOTENCE", "false", "INTAKE_KAFKA_CONSUMER_ENABLE_AUTO_COMMIT", "true",
        "INTAKE_KAFKA_ADMIN_BOOTSTRAP_SERVERS", "elsewhere:9092", "INTAKE_KAFKA_PRODUCER_MAX_BLOCK_MS", "5000",
        "INTAKE_KAFKA_CLIENT_MAX_BLOCK_MS", "60000").entrySet()) {
      var env = new java.util.HashMap<>(PRODUCTION);
      env.put(weakening.getKey(), weakening.getValue());
      assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).as(weakening.getKey()).isInstanceOf(InvalidConfig.class)
          .hasMessageContaining(weakening.getKey()).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_KAFKA_PRODUCER_ACKS", "all");
    assertThat(IntakeConfig.fromEnv(env, false).kafka().producer()).containsEntry("acks", "all");
  }

  @Test
  void secretsComeFromFilesThroughTheirFileVariant(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    var secret = java.nio.file.Files.writeString(dir.resolve("applicant-key"), "s".repeat(40) + "\n");
    var pgPassword = java.nio.file.Files.writeString(dir.resolve("pg-password"), "from-a-file\n");
    var redisPassword = java.nio.file.Files.writeString(dir.resolve("redis-password"), "redis-secret");
    var receiptKey = java.nio.file.Files.writeString(dir.resolve("receipt-key"), PRODUCTION_KEY[0]);
    var env = new java.util.HashMap<>(PRODUCTION);
    env.remove("INTAKE_APPLICANT_KEY_SECRET");
    env.remove("INTAKE_RECEIPT_SIGNING_KEY");
    env.put("INTAKE_PG_URL", "postgresql://intake@pg:5432/intake");
    env.put("INTAKE_APPLICANT_KEY_SECRET_FILE", secret.toString());
    env.put("INTAKE_PG_PASSWORD_FILE", pgPassword.toString());
    env.put("INTAKE_REDIS_PASSWORD_FILE", redisPassword.toString());
    env.put("INTAKE_RECEIPT_SIGNING_KEY_FILE", receiptKey.toString());
    var config = IntakeConfig.fromEnv(env, false);
    assertThat(config.applicantKeySecret().value()).isEqualTo("s".repeat(40));
    assertThat(config.postgres().endpoint().orElseThrow().password().orElseThrow().value()).isEqualTo("from-a-file");
    assertThat(config.redis().password().orElseThrow().value()).isEqualTo("redis-secret");
    assertThat(config.receipts().keys().toString()).contains("kid=");
    assertThat(config.toString()).doesNotContain("from-a-file").doesNotContain("redis-secret").doesNotContain("s".repeat(40));
    // dev mode fills its endpoints in again: a password of its own must survive that (it was lost: a dev start against
    // an estate's PostgreSQL failed with "Password can not be null")
    var devFilled = config.withEndpoints("kafka:9092", "redis://redis:6379", "postgresql://intake@pg:5432/intake");
    assertThat(devFilled.postgres().endpoint().orElseThrow().password().orElseThrow().value()).isEqualTo("from-a-file");

    env.put("INTAKE_APPLICANT_KEY_SECRET", "t".repeat(40));
    env.put("INTAKE_PG_PASSWORD_FILE", dir.resolve("missing").toString());
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false))
        .hasMessageContaining("INTAKE_APPLICANT_KEY_SECRET and INTAKE_APPLICANT_KEY_SECRET_FILE are both set")
        .hasMessageContaining("INTAKE_PG_PASSWORD_FILE=" + dir.resolve("missing") + " cannot be read")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("t".repeat(40)));
  }

  @Test
  void aPostgresUrlThatCannotBeReadIsNamedButNeverShown() {
    for (String url : java.util.List.of("postgresql://intake:hunter2@pg:notaport/intake", "postgresql://intake:hunter2@pg/intake?sslmode=bogus",
        "postgresql://intake:hunter2@pg/intake?password=hunter2", "postgresql://intake:hunter2@[pg/intake", "postgresql://pg/intake")) {
      var env = new java.util.HashMap<>(PRODUCTION);
      env.put("INTAKE_PG_URL", url);
      assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).as(url).isInstanceOf(InvalidConfig.class)
          .hasMessageContaining("INTAKE_PG_URL").satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
      assertThatThrownBy(() -> IntakeConfig.adminFromEnv(env)).as(url).isInstanceOf(InvalidConfig.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }
  }

  @Test
  void verifyingTlsModesNeedTheirCaFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_PG_SSLMODE", "verify-full");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).hasMessageContaining("INTAKE_PG_CA_FILE");
    env.put("INTAKE_PG_CA_FILE", java.nio.file.Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----").toString());
    var pg = IntakeConfig.fromEnv(env, false).postgres();
    assertThat(pg.sslMode()).isEqualTo("verify-full");
    env.remove("INTAKE_PG_SSLMODE");
    env.put("INTAKE_PG_URL", "postgresql://intake:pw@pg:5432/intake?sslmode=verify-ca");
    assertThat(IntakeConfig.fromEnv(env, false).postgres().sslMode()).isEqualTo("verify-ca");
    env.put("INTAKE_REDIS_CA_FILE", dir.resolve("no-such.pem").toString());
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).hasMessageContaining("INTAKE_REDIS_CA_FILE");
  }

  @Test
  void redisModesTakeTheirListsAndSentinelItsMasterName() {
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_REDIS_URL", "redis://a:7000,redis://b:7000");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).hasMessageContaining("one URL in standalone mode");
    env.put("INTAKE_REDIS_MODE", "sentinel");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).hasMessageContaining("INTAKE_REDIS_MASTER_NAME");
    env.put("INTAKE_REDIS_MASTER_NAME", "intake");
    assertThat(IntakeConfig.fromEnv(env, false).redis().urls()).hasSize(2);
    env.put("INTAKE_REDIS_MODE", "cluster");
    assertThat(IntakeConfig.fromEnv(env, false).redis().clientShards()).as("spread by default in a cluster").isEqualTo(16);
    env.put("INTAKE_REDIS_URL", "redis://a:7000,rediss://b:7000");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).hasMessageContaining("TLS is all or nothing");
    env.put("INTAKE_REDIS_URL", "redis://user:hunter2@a:7000,redis://user:hunter2@[b");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).hasMessageContaining("INTAKE_REDIS_URL")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void aReceiptKeyThatIsNotAnEd25519PrivateKeyIsRefusedWithoutEchoingIt() {
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_RECEIPT_SIGNING_KEY", PRODUCTION_KEY[1]);   // the public half
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).hasMessageContaining("INTAKE_RECEIPT_SIGNING_KEY")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PRODUCTION_KEY[1]));
    env.put("INTAKE_RECEIPT_SIGNING_KEY", PRODUCTION_KEY[0]);
    env.put("INTAKE_RECEIPT_PREVIOUS_KEYS", "not-a-key");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).hasMessageContaining("previous key");
  }

  @Test
  void previousReceiptKeysArePublishedBesideTheCurrentOne() {
    var env = new java.util.HashMap<>(PRODUCTION);
    String[] older = eu.gov.intake.audit.ReceiptKeys.generate();
    env.put("INTAKE_RECEIPT_PREVIOUS_KEYS", older[1]);
    var jwks = IntakeConfig.fromEnv(env, false).receipts().keys().jwks().getJsonArray("keys");
    assertThat(jwks).hasSize(2);
    assertThat(jwks.getJsonObject(0).getString("kid")).isNotEqualTo(jwks.getJsonObject(1).getString("kid"));
  }

  @Test
  void aBlankReceiptKeyOutsideDevModeIsMissingNotTheDevKey() {
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_RECEIPT_SIGNING_KEY", "  ");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).hasMessageContaining("INTAKE_RECEIPT_SIGNING_KEY");
  }

  @Test
  void rolesAreAllThreeUnlessSaidAndAnUnknownOneIsRefused() {
    assertThat(IntakeConfig.fromEnv(PRODUCTION, false).roles()).isEqualTo(IntakeConfig.Roles.ALL);
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_ROLES", " relay, ledger ");
    assertThat(IntakeConfig.fromEnv(env, false).roles()).isEqualTo(new IntakeConfig.Roles(false, true, true));
    env.put("INTAKE_ROLES", "api,web");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).isInstanceOf(InvalidConfig.class).hasMessageContaining("INTAKE_ROLES")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
