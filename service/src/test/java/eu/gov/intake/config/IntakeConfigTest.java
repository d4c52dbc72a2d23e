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
    env.put("INTAKE_MAX_BODY", "1MiB");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false))
        .hasMessageContaining("INTAKE_HTTP_PORT=eighty").hasMessageContaining("INTAKE_REQUEST_DEADLINE")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("INTAKE_MAX_BODY"));
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
    assertThat(shown).contains("postgresql://intake:****@pg:5432/intake").doesNotContain(":pw@").doesNotContain("x".repeat(40))
        .doesNotContain(PRODUCTION_KEY[0]).contains("kid=");
  }

  @Test
  void kafkaProducerSettingsPassThrough() {
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_KAFKA_PRODUCER_LINGER_MS", "20");
    assertThat(IntakeConfig.fromEnv(env, false).kafkaProducer()).containsEntry("linger.ms", "20");
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
    var jwks = IntakeConfig.fromEnv(env, false).receiptKeys().jwks().getJsonArray("keys");
    assertThat(jwks).hasSize(2);
    assertThat(jwks.getJsonObject(0).getString("kid")).isNotEqualTo(jwks.getJsonObject(1).getString("kid"));
  }

  @Test
  void aBlankReceiptKeyOutsideDevModeIsMissingNotTheDevKey() {
    var env = new java.util.HashMap<>(PRODUCTION);
    env.put("INTAKE_RECEIPT_SIGNING_KEY", "  ");
    assertThatThrownBy(() -> IntakeConfig.fromEnv(env, false)).hasMessageContaining("INTAKE_RECEIPT_SIGNING_KEY");
  }
}
