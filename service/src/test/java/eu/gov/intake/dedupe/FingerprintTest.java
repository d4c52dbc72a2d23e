package eu.gov.intake.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  private static JsonNode json(String text) throws Exception { return new ObjectMapper().readTree(text); }

  @Test
  void memberOrderAndSpacingDoNotChangeTheFingerprint() throws Exception {
    var a = json("{\"b\": 1, \"a\": {\"y\": [1, \"x\"], \"x\": null}}");
    var b = json("{\"a\":{\"x\":null,\"y\":[1,\"x\"]},\"b\":1}");
    assertThat(Fingerprint.of(a)).isEqualTo(Fingerprint.of(b));
    assertThat(new String(Fingerprint.canonical(a), StandardCharsets.UTF_8)).isEqualTo("{\"a\":{\"x\":null,\"y\":[1,\"x\"]},\"b\":1}");
  }

  @Test
  void anyChangedValueChangesTheFingerprint() throws Exception {
    assertThat(Fingerprint.of(json("{\"a\":\"1\"}"))).isNotEqualTo(Fingerprint.of(json("{\"a\":1}")));
    assertThat(Fingerprint.of(json("{\"a\":[1,2]}"))).isNotEqualTo(Fingerprint.of(json("{\"a\":[2,1]}")));
  }
}
