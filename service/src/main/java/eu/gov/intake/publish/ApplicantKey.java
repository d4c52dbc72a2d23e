package eu.gov.intake.publish;

import eu.gov.intake.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Kafka record key of an application: HMAC-SHA256 of the applicant's type and id under a secret. Stable
 * for one applicant (so their applications keep their order in one partition) but not reversible to the
 * id, as a plain hash of an 18-digit ID card number would be by enumeration.
 */
final class ApplicantKey {
  private final SecretKeySpec key;
  /** A Mac is not thread-safe, and getting and keying one costs more than the hash: one per thread, reused. */
  private final ThreadLocal<Mac> macs;

  ApplicantKey(Secret secret) {
    this.key = new SecretKeySpec(secret.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  private Mac newMac() {
    try {
      var mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  String of(String applicantType, String applicantId) {
    var mac = macs.get();  // doFinal leaves it reset for the next call
    mac.update(applicantType.getBytes(StandardCharsets.UTF_8));
    mac.update((byte) 0);  // so that ("AB", "C") and ("A", "BC") differ
    return HexFormat.of().formatHex(mac.doFinal(applicantId.getBytes(StandardCharsets.UTF_8)));
  }
}
