package eu.gov.intake.dedupe;

import eu.gov.intake.config.KeyedHash;
import eu.gov.intake.config.Secret;

/**
 * Keyed fingerprints (HMAC-SHA256 of the canonical content) for the dedupe records. A plain hash of an application
 * let whoever could read Redis test guesses of a resident id against it: about 1e11 ids, and the rest of an
 * application is predictable. The key is derived from the applicant-key secret with a label of its own, so it is
 * not the key of the Kafka record keys.
 */
public final class Fingerprints {
  private final KeyedHash hash;

  public Fingerprints(Secret applicantKeySecret) { this.hash = new KeyedHash(applicantKeySecret).derive("intake/dedupe-fingerprint/v1"); }

  public Fingerprint of(Canonical content) { return new Fingerprint(hash.hex(content.bytes())); }

  /** The keyed fingerprint and the plain one of records written before (see {@link Fingerprint}), from one canonical form. */
  Both both(Canonical content) {
    return new Both(of(content), Fingerprint.of(content));
  }

  record Both(Fingerprint keyed, Fingerprint unkeyed) {}
}
