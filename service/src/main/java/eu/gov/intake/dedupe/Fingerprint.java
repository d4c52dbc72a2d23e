package eu.gov.intake.dedupe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A request's content in canonical form (members sorted by name, no insignificant space), hashed, so that the same
 * application sent with its members in another order is recognised as the same request. {@link Fingerprints} makes
 * the keyed ones the records hold; {@link #of} is the plain SHA-256 that records written before it hold (kept only to
 * recognise their retries while they live, at most INTAKE_IDEMPOTENCY_TTL).
 */
public record Fingerprint(String hex) {
  private static final JsonMapper CANONICAL = JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

  public static Fingerprint of(JsonNode content) { return ofCanonical(canonical(content)); }

  static Fingerprint ofCanonical(byte[] canonical) {
    try {
      return new Fingerprint(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static byte[] canonical(JsonNode content) {
    try {
      return CANONICAL.writeValueAsBytes(content);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed tree always serializes", e);
    }
  }
}
