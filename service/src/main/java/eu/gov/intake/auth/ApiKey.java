package eu.gov.intake.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * An API key as presented: {@code ik_<prefix>_<secret>}. The prefix (8 characters, not secret) finds the
 * stored record; the secret (32 random bytes, 256 bits) is only ever stored as the SHA-256 of the whole key.
 * A fast hash is enough here because the key is random, not a password a person chose.
 */
public record ApiKey(String prefix, String value) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  /** {@code ik_}, 8 letters or digits, {@code _}, 43 base64url characters; checked by hand, as a regex cost 2 % of a request. */
  public static Optional<ApiKey> parse(String presented) {
    if (presented == null || presented.length() != 55 || !presented.startsWith("ik_") || presented.charAt(11) != '_') {
      return Optional.empty();
    }
    for (int i = 3; i < 11; i++) {
      if (!alphanumeric(presented.charAt(i))) return Optional.empty();
    }
    for (int i = 12; i < 55; i++) {
      char c = presented.charAt(i);
      if (!alphanumeric(c) && c != '_' && c != '-') return Optional.empty();
    }
    return Optional.of(new ApiKey(presented.substring(3, 11), presented));
  }

  private static boolean alphanumeric(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
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
