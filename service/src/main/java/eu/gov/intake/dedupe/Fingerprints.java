package eu.gov.intake.dedupe;

import eu.gov.intake.config.KeyedHash;
import eu.gov.intake.config.Secret;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Keyed fingerprints (HMAC-SHA256 of the canonical content) for the dedupe records. A plain hash of an application
 * let whoever could read Redis test guesses of a resident id against it: about 1e11 ids, and the rest of an
 * application is predictable. The key is derived from the applicant-key secret with a label of its own, so it is
 * not the key of the Kafka record keys.
 */
public final class Fingerprints {
  private final KeyedHash hash;
  private final KeyedHash ids;

  public Fingerprints(Secret applicantKeySecret) {
    this.hash = new KeyedHash(applicantKeySecret).derive("intake/dedupe-fingerprint/v1");
    this.ids = new KeyedHash(applicantKeySecret).derive("intake/application-id/v1");
  }

  /**
   * The applicationId of a keyed request: a UUIDv8 (RFC 9562, custom) made of the keyed hash of the client, the
   * key and the request's fingerprint. Every instance derives the same id for the same request without asking
   * Redis, so a retry keeps its id even after Redis lost the record; a key reused for another request after its
   * record expired gets another id. Not time-ordered (ids without a key are UUIDv7), and not guessable without
   * the secret.
   */
  public String idFor(String clientId, String idempotencyKey, Fingerprint request) {
    byte[] h = ids.bytes(clientId.getBytes(StandardCharsets.UTF_8), new byte[] {0},
        idempotencyKey.getBytes(StandardCharsets.UTF_8), new byte[] {0}, request.hex().getBytes(StandardCharsets.US_ASCII));
    long msb = ByteBuffer.wrap(h, 0, 8).getLong();
    long lsb = ByteBuffer.wrap(h, 8, 8).getLong();
    msb = (msb & ~0xF000L) | 0x8000L;                                                  // version 8
    lsb = (lsb & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;                      // variant 10
    return new UUID(msb, lsb).toString();
  }

  public Fingerprint of(Canonical content) { return new Fingerprint(hash.hex(content.bytes())); }

  /** The keyed fingerprint and the plain one of records written before (see {@link Fingerprint}), from one canonical form. */
  Both both(Canonical content) {
    return new Both(of(content), Fingerprint.of(content));
  }

  record Both(Fingerprint keyed, Fingerprint unkeyed) {}
}
