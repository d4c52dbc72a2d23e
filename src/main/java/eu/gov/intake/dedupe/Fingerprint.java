package eu.gov.intake.dedupe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * The SHA-256 of a request's content in canonical form (members sorted by name, no insignificant space),
 * so that the same application sent with its members in another order is recognised as the same request.
 */
public record Fingerprint(String hex) {
  public static Fingerprint of(JsonObject content) {
    try {
      byte[] canonical = canonical(content).getBytes(StandardCharsets.UTF_8);
      return new Fingerprint(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static String canonical(Object value) {
    if (value instanceof JsonObject object) {
      var sorted = new TreeMap<String, Object>();
      object.forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
      var out = new StringBuilder("{");
      sorted.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(scalar(k)).append(':').append(canonical(v)));
      return out.append('}').toString();
    }
    if (value instanceof JsonArray array) {
      var out = new StringBuilder("[");
      for (int i = 0; i < array.size(); i++) out.append(i > 0 ? "," : "").append(canonical(array.getValue(i)));
      return out.append(']').toString();
    }
    return scalar(value);
  }

  /** A string, number, boolean or null in JSON's own escaping. */
  private static String scalar(Object value) {
    String encoded = new JsonArray().add(value).encode();
    return encoded.substring(1, encoded.length() - 1);
  }
}
