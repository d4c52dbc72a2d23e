package eu.gov.intake.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.gov.intake.config.IntakeConfig;
import eu.gov.intake.config.InvalidConfig;
import eu.gov.intake.config.SpoolKeys;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpoolCipherTest {
  private static final SpoolCipher.Binding EVENT = new SpoolCipher.Binding("0196f0a0-0000-7000-8000-000000000001",
      "intake.applications.shtax", "0196f0a0-0000-7000-8000-000000000001", "gov.intake.application.submitted.v1");
  private static final Buffer APPLICATION = Buffer.buffer("{\"applicant\":\"310101199001011234\",\"payload\":{\"taxYear\":2025}}");

  @Test
  void aSealedValueIsNotTheApplicationAndOpensToIt() {
    var cipher = cipher(Map.of("INTAKE_SPOOL_KEYS", "k1:" + key()));
    Buffer sealed = cipher.seal(EVENT, APPLICATION);
    assertThat(sealed.getByte(0)).isEqualTo((byte) 1);
    assertThat(sealed.toString(StandardCharsets.ISO_8859_1)).doesNotContain("310101199001011234").doesNotContain("taxYear").contains("k1");
    assertThat(cipher.open(EVENT, sealed)).isEqualTo(APPLICATION);
    assertThat(cipher.seal(EVENT, APPLICATION)).as("a fresh nonce each time").isNotEqualTo(sealed);
  }

  @Test
  void afterARotationRowsOfTheOldKeyStillOpenAndNewOnesUseTheNewKey() {
    String k1 = key();
    var before = cipher(Map.of("INTAKE_SPOOL_KEYS", "k1:" + k1));
    var after = cipher(Map.of("INTAKE_SPOOL_KEYS", "k2:" + key() + "\nk1:" + k1 + "\n"));
    Buffer old = before.seal(EVENT, APPLICATION);
    assertThat(after.open(EVENT, old)).isEqualTo(APPLICATION);
    assertThat(after.seal(EVENT, APPLICATION).toString(StandardCharsets.ISO_8859_1)).contains("k2");
    var dropped = cipher(Map.of("INTAKE_SPOOL_KEYS", "k2:" + key()));
    assertThatThrownBy(() -> dropped.open(EVENT, old)).hasMessageContaining("key id k1").hasMessageNotContaining("310101");
  }

  @Test
  void withoutKeysTheDerivedKeyEncryptsAndStaysReadableOnceKeysAreSet() {
    var unset = cipher(Map.of());
    Buffer sealed = unset.seal(EVENT, APPLICATION);
    assertThat(sealed.toString(StandardCharsets.ISO_8859_1)).contains(SpoolKeys.DERIVED).doesNotContain("taxYear");
    assertThat(cipher(Map.of("INTAKE_SPOOL_KEYS", "k1:" + key())).open(EVENT, sealed)).isEqualTo(APPLICATION);
  }

  @Test
  void changedBytesOrAnotherRowsBytesDoNotOpen() {
    var cipher = cipher(Map.of("INTAKE_SPOOL_KEYS", "k1:" + key()));
    Buffer sealed = cipher.seal(EVENT, APPLICATION);
    Buffer changed = sealed.copy();
    changed.setByte(changed.length() - 20, (byte) (changed.getByte(changed.length() - 20) ^ 1));
    assertThatThrownBy(() -> cipher.open(EVENT, changed)).hasMessageContaining("do not authenticate");
    var otherRow = new SpoolCipher.Binding("0196f0a0-0000-7000-8000-000000000002", EVENT.topic(), EVENT.applicationId(), EVENT.type());
    assertThatThrownBy(() -> cipher.open(otherRow, sealed)).hasMessageContaining("do not authenticate");
    var rerouted = new SpoolCipher.Binding(EVENT.eventId(), "intake.applications.shhrss", EVENT.applicationId(), EVENT.type());
    assertThatThrownBy(() -> cipher.open(rerouted, sealed)).as("a row pointed at another topic").hasMessageContaining("do not authenticate");
    assertThatThrownBy(() -> cipher.open(EVENT, sealed.slice(0, 10))).hasMessageContaining("cut short");
  }

  @Test
  void aRowWrittenInClearByAnEarlierVersionIsReadAsItIs() {
    assertThat(cipher(Map.of()).open(EVENT, APPLICATION)).isEqualTo(APPLICATION);
  }

  @Test
  void unusableKeysStopTheStartWithoutShowingThem() {
    String k = key();
    for (String bad : new String[] {"k1", "k1:c2hvcnQ=", "derived:" + k, "k 1:" + k, "k1:" + k + ",k1:" + k, "k1:" + k.substring(4)}) {
      assertThatThrownBy(() -> cipher(Map.of("INTAKE_SPOOL_KEYS", bad))).isInstanceOf(InvalidConfig.class)
          .hasMessageContaining("INTAKE_SPOOL_KEYS").hasMessageNotContaining(k.substring(4)).hasMessageNotContaining("c2hvcnQ");
    }
  }

  private static SpoolCipher cipher(Map<String, String> env) {
    var all = new HashMap<>(env);
    all.put("INTAKE_APPLICANT_KEY_SECRET", "a-test-secret-of-at-least-thirty-two-characters");
    return new SpoolCipher(IntakeConfig.fromEnv(all, true).spooling().keys());
  }

  private static String key() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
