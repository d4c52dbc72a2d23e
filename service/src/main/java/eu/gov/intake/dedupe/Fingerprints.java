package eu.gov.intake.dedupe;

import com.fasterxml.jackson.databind.JsonNode;
import eu.gov.intake.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed fingerprints (HMAC-SHA256 of the canonical content) for the dedupe records. A plain hash of an application
 * let whoever could read Redis test guesses of a resident id against it: about 1e11 ids, and the rest of an
 * application is predictable. The key is derived from the applicant-key secret with a label of its own, so it is
 * not the key of the Kafka record keys.
 */
public final class Fingerprints {
  private final SecretKeySpec key;
  /** A Mac is not thread-safe, and keying one costs more than the hash: one per thread, reused. */
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  public Fingerprints(Secret applicantKeySecret) {
    var derive = mac(new SecretKeySpec(applicantKeySecret.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    this.key = new SecretKeySpec(derive.doFinal("intake/dedupe-fingerprint/v1".getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
  }

  public Fingerprint of(JsonNode content) {
    return new Fingerprint(HexFormat.of().formatHex(macs.get().doFinal(Fingerprint.canonical(content))));
  }

  private Mac newMac() { return mac(key); }

  private static Mac mac(SecretKeySpec key) {
    try {
      var mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
