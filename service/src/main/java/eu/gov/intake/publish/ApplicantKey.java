package eu.gov.intake.publish;

import eu.gov.intake.config.KeyedHash;
import eu.gov.intake.config.Secret;
import java.nio.charset.StandardCharsets;

/**
 * The Kafka record key of an application: HMAC-SHA256 of the applicant's type and id under a secret. Stable
 * for one applicant (so their applications keep their order in one partition) but not reversible to the
 * id, as a plain hash of an 18-digit ID card number would be by enumeration.
 */
final class ApplicantKey {
  private static final byte[] SEPARATOR = {0};   // so that ("AB", "C") and ("A", "BC") differ
  private final KeyedHash hash;

  ApplicantKey(Secret secret) { this.hash = new KeyedHash(secret); }

  String of(String applicantType, String applicantId) {
    return hash.hex(applicantType.getBytes(StandardCharsets.UTF_8), SEPARATOR, applicantId.getBytes(StandardCharsets.UTF_8));
  }
}
