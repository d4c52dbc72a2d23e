package eu.gov.intake.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An API key as presented: {@code ik_<prefix>_<secret>}. The prefix (8 characters, not secret) finds the
 * stored record; the secret (32 random bytes, 256 bits) is only ever stored as the SHA-256 of the whole key.
 * A fast hash is enough here because the key is random, not a password a person chose.
 */
public record ApiKey(String prefix, String value) {
  private static final Pattern FORMAT = Pattern.compile("ik_([A-Za-z0-9]{8})_[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  public static Optional<ApiKey> parse(String presented) {
    if (presented == null) return Optional.empty();
    var m = FORMAT.matcher(presented);
    return m.matches() ? Optional.of(new ApiKey(m.group(1), presented)) : Optional.empty();
  }

  static ApiKey generate() {
    var prefix = new StringBuilder();
    for (int i = 0; i < 8; i++) prefix.append(ALPHANUMERIC[RANDOM.nextInt(ALPHANUMERIC.length)]);
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String value = "ik_" + prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new ApiKey(prefix.toString(), value);
  }

  byte[] hash() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Constant time, so that response timing tells nothing about how much of a guess was right. */
  boolean matches(byte[] storedHash) { return MessageDigest.isEqual(hash(), storedHash); }

  @Override public String toString() { return "ik_" + prefix + "_****"; }
}
