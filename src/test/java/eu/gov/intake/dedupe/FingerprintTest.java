package eu.gov.intake.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  @Test
  void memberOrderAndSpacingDoNotChangeTheFingerprint() {
    var a = new JsonObject("{\"b\": 1, \"a\": {\"y\": [1, \"x\"], \"x\": null}}");
    var b = new JsonObject("{\"a\":{\"x\":null,\"y\":[1,\"x\"]},\"b\":1}");
    assertThat(Fingerprint.of(a)).isEqualTo(Fingerprint.of(b));
    assertThat(Fingerprint.canonical(a)).isEqualTo("{\"a\":{\"x\":null,\"y\":[1,\"x\"]},\"b\":1}");
  }

  @Test
  void anyChangedValueChangesTheFingerprint() {
    assertThat(Fingerprint.of(new JsonObject("{\"a\":\"1\"}"))).isNotEqualTo(Fingerprint.of(new JsonObject("{\"a\":1}")));
    assertThat(Fingerprint.of(new JsonObject("{\"a\":[1,2]}"))).isNotEqualTo(Fingerprint.of(new JsonObject("{\"a\":[2,1]}")));
  }
}
