package eu.gov.intake.config;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys the spool's application bytes are encrypted under, by key id: the first is the one new rows
 * are written with, the others only read rows written before a rotation. {@value #DERIVED} is a key derived from
 * the applicant-key secret, always known: a deployment that sets no key of its own still never writes an
 * application in clear text, and after it sets one, the rows written before can still be read.
 */
public record SpoolKeys(String currentId, Map<String, SecretKey> byId) {
  public static final String DERIVED = "derived";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");

  public SpoolKeys {
    byId = Map.copyOf(byId);
  }

  /** The key for new rows. */
  public SecretKey current() { return byId.get(currentId); }

  /**
   * {@code id:base64-of-32-bytes}, comma- or newline-separated, the current key first (a file made by
   * {@code printf 'k2:%s\n' "$(openssl rand -base64 32)"}, with the older keys after it). Messages never hold a key.
   */
  static SpoolKeys parse(String raw, KeyedHash derivedFrom) {
    var keys = new LinkedHashMap<String, SecretKey>();
    for (String entry : raw.split("[,\\n]")) {
      String item = entry.strip();
      if (item.isEmpty()) continue;
      int colon = item.indexOf(':');
      if (colon < 0) throw new IllegalArgumentException("each key is id:base64 (32 bytes)");
      String id = item.substring(0, colon);
      if (!ID.matcher(id).matches() || id.equals(DERIVED)) {
        throw new IllegalArgumentException("a key id is 1 to 32 of A-Z a-z 0-9 . _ - and not '" + DERIVED + "'");
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(item.substring(colon + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the key of id " + id + " is not base64");
      }
      if (key.length != 32) throw new IllegalArgumentException("the key of id " + id + " is not 32 bytes (AES-256)");
      if (keys.put(id, new SecretKeySpec(key, "AES")) != null) throw new IllegalArgumentException("key id " + id + " twice");
    }
    if (keys.isEmpty()) throw new IllegalArgumentException("no key");
    String current = keys.keySet().iterator().next();
    keys.put(DERIVED, derived(derivedFrom));
    return new SpoolKeys(current, keys);
  }

  /** No key set: the derived one encrypts. */
  static SpoolKeys derivedOnly(KeyedHash derivedFrom) { return new SpoolKeys(DERIVED, Map.of(DERIVED, derived(derivedFrom))); }

  private static SecretKey derived(KeyedHash from) { return new SecretKeySpec(from.key("intake/spool-encryption/v1"), "AES"); }

  @Override public String toString() { return "SpoolKeys[current=" + currentId + ", ids=" + byId.keySet() + "]"; }
}
