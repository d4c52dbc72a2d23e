package eu.gov.intake.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under one key: what Intake derives from its secrets (the Kafka record keys, the dedupe
 * fingerprints), stable for the same input and not reversible to it by enumeration, as a plain hash of an
 * 18-digit resident id would be. A Mac is not thread-safe, and getting and keying one costs more than the hash:
 * one per thread, reused.
 */
public final class KeyedHash {
  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  public KeyedHash(Secret secret) { this(secret.value().getBytes(StandardCharsets.UTF_8)); }

  private KeyedHash(byte[] key) { this.key = new SecretKeySpec(key, "HmacSHA256"); }

  /** A key of its own for another use, derived under {@code label}: one use's hashes say nothing of another's. */
  public KeyedHash derive(String label) { return new KeyedHash(key(label)); }

  /** 32 bytes of key material for another use, derived under {@code label} (HMAC as a key-derivation function). */
  byte[] key(String label) { return hash(label.getBytes(StandardCharsets.UTF_8)); }

  /** The hash of the parts, one after the other, in hex. */
  public String hex(byte[]... parts) { return HexFormat.of().formatHex(hash(parts)); }

  /** The hash of the parts, one after the other: 32 bytes. */
  public byte[] bytes(byte[]... parts) { return hash(parts); }

  private byte[] hash(byte[]... parts) {
    var mac = macs.get();   // doFinal leaves it reset for the next call
    for (byte[] part : parts) mac.update(part);
    return mac.doFinal();
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
}
