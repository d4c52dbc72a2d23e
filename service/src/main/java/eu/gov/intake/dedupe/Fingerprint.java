package eu.gov.intake.dedupe;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A request's content in canonical form ({@link Canonical}: members sorted by name, no insignificant space), hashed, so that the same
 * application sent with its members in another order is recognised as the same request. {@link Fingerprints} makes
 * the keyed ones the records hold; {@link #of} is the plain SHA-256 that records written before it hold (kept only to
 * recognise their retries while they live, at most INTAKE_IDEMPOTENCY_TTL).
 */
public record Fingerprint(String hex) {
  public static Fingerprint of(Canonical content) { return ofCanonical(content.bytes()); }

  static Fingerprint ofCanonical(byte[] canonical) {
    try {
      return new Fingerprint(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
