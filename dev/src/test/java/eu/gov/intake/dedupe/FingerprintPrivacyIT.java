package eu.gov.intake.dedupe;

import static eu.gov.intake.testing.Applications.cardReplacement;
import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.RedisProbe;
import eu.gov.intake.testing.TestIntake;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, item 5: the dedupe records held a plain SHA-256 of the application, so whoever could read Redis could
 * test guesses of a resident id (about 1e11 of them, the rest of an application being predictable) against it.
 * The hash is keyed now: without Intake's secret the stored value says nothing about the id.
 */
@ExtendWith(IntakeTestRun.class)
class FingerprintPrivacyIT {
  private static final JsonMapper CANONICAL = JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

  @Test
  void noDedupeRecordHoldsAPlainHashOfTheApplication(TestIntake intake) throws Exception {
    var application = taxReturn(freshApplicant());
    String key = "privacy-" + UUID.randomUUID();
    assertThat(Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, application.encode()).statusCode()).isEqualTo(202);
    var content = cardReplacement(freshApplicant());
    assertThat(Http.submit(intake.apiPort(), intake.keyOf("demo-web"), null, content.encode()).statusCode()).isEqualTo(202);

    try (var redis = new RedisProbe(intake.redisUrl())) {
      // what an attacker computes for a guessed id: the same canonical JSON, plainly hashed
      String guessedRequest = plainSha256(application.encode());
      var record = redis.hgetall("idem:{demo-web}:" + key);
      assertThat(record).containsKey("fingerprint");
      assertThat(record.get("fingerprint")).isNotEqualTo(guessedRequest);
      String guessedContent = plainSha256(new io.vertx.core.json.JsonObject().put("serviceCode", content.getString("serviceCode"))
          .put("applicant", content.getJsonObject("applicant")).put("payload", content.getJsonObject("payload")).encode());
      assertThat(redis.hgetall("content:{demo-web}:" + guessedContent)).isEmpty();
    }
    // and the keyed hash still does its job: the same request again is a replay, the same content again too
    var replay = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, application.encode());
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    var twice = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), null, content.encode());
    assertThat(twice.headers().firstValue("Idempotent-Replayed")).hasValue("true");
  }

  private static String plainSha256(String json) throws Exception {
    byte[] canonical = CANONICAL.writeValueAsBytes(CANONICAL.readTree(json));
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
  }
}
