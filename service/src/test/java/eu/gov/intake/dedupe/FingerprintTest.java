package eu.gov.intake.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  private static Canonical json(String text) throws Exception { return Canonical.of(new ObjectMapper().readTree(text)); }

  @Test
  void memberOrderAndSpacingDoNotChangeTheFingerprint() throws Exception {
    var a = json("{\"b\": 1, \"a\": {\"y\": [1, \"x\"], \"x\": null}}");
    var b = json("{\"a\":{\"x\":null,\"y\":[1,\"x\"]},\"b\":1}");
    assertThat(Fingerprint.of(a)).isEqualTo(Fingerprint.of(b));
    assertThat(new String(a.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":{\"x\":null,\"y\":[1,\"x\"]},\"b\":1}");
  }

  @Test
  void anyChangedValueChangesTheFingerprint() throws Exception {
    assertThat(Fingerprint.of(json("{\"a\":\"1\"}"))).isNotEqualTo(Fingerprint.of(json("{\"a\":1}")));
    assertThat(Fingerprint.of(json("{\"a\":[1,2]}"))).isNotEqualTo(Fingerprint.of(json("{\"a\":[2,1]}")));
  }

  /** The same bytes as Jackson's own sorted writing, at every depth (records of earlier versions hold those), and members as written. */
  @Test
  void theCanonicalFormIsJacksonsSortedWritingAndItsMembersAreItsSlices() throws Exception {
    var sorted = com.fasterxml.jackson.databind.json.JsonMapper.builder()
        .enable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();
    var node = new ObjectMapper().readTree("{\"serviceCode\":\"S-1\",\"payload\":{\"z\":[3,{\"b\":1.50,\"a\":\"\u4e2d\\n\\\"\"}],\"a\":-0.0,"
        + "\"big\":123456789012345678901234567890},\"applicant\":{\"type\":\"INDIVIDUAL\",\"id\":\"x\"},\"channel\":\"WEB\",\"\u00e9\":null}");
    var canonical = Canonical.of(node);
    assertThat(canonical.bytes()).isEqualTo(sorted.writeValueAsBytes(node));
    for (String member : java.util.List.of("payload", "applicant", "channel", "\u00e9")) {
      var out = new java.io.ByteArrayOutputStream();
      canonical.writeMember(member, out);
      assertThat(out.toByteArray()).as(member).isEqualTo(sorted.writeValueAsBytes(node.get(member)));
    }
  }
}
