package eu.gov.intake.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON Canonicalization Scheme (RFC 8785): members sorted by their names' UTF-16 code units, no whitespace,
 * strings escaped as ECMAScript's JSON.stringify does, numbers as ECMAScript prints a double. Two parties that
 * hold the same JSON value get the same bytes, so a signature over them can be checked by anyone.
 */
public final class Jcs {
  private Jcs() {}

  public static byte[] canonical(JsonObject value) {
    var out = new StringBuilder(256);
    write(out, value);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(StringBuilder out, Object value) {
    switch (value) {
      case null -> out.append("null");
      case JsonObject object -> write(out, object.getMap());
      case JsonArray array -> write(out, array.getList());
      case Map<?, ?> map -> {
        // String.compareTo compares UTF-16 code units, the order RFC 8785 asks for
        var sorted = new TreeMap<String, Object>();
        map.forEach((k, v) -> sorted.put((String) k, v));
        out.append('{');
        boolean first = true;
        for (var member : sorted.entrySet()) {
          if (!first) out.append(',');
          first = false;
          string(out, member.getKey());
          out.append(':');
          write(out, member.getValue());
        }
        out.append('}');
      }
      case List<?> list -> {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) out.append(',');
          write(out, list.get(i));
        }
        out.append(']');
      }
      case CharSequence text -> string(out, text.toString());
      case Boolean bool -> out.append(bool);
      case Number number -> number(out, number.doubleValue());
      default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getSimpleName());
    }
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    out.append('"');
  }

  /** ECMAScript's Number::toString for a finite double (ECMA-262, Number::toString; RFC 8785 section 3.2.2.3). */
  static void number(StringBuilder out, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("JSON has no " + d);
    if (d == 0) {
      out.append('0');   // also -0
      return;
    }
    if (d < 0) {
      out.append('-');
      d = -d;
    }
    // the shortest decimal that reads back as d (what Double.toString gives since JDK 19): digits and exponent
    var decimal = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    // Java always prints two significant digits where ECMAScript takes the shortest: 4.9E-324 is 5e-324 there
    if (decimal.precision() == 2) {
      var one = decimal.round(new java.math.MathContext(1, java.math.RoundingMode.HALF_EVEN));
      if (one.doubleValue() == d) decimal = one.stripTrailingZeros();
    }
    String digits = decimal.unscaledValue().toString();
    int k = digits.length();
    int n = k - decimal.scale();   // d = 0.digits x 10^n
    if (k <= n && n <= 21) {
      out.append(digits).append("0".repeat(n - k));
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.").append("0".repeat(-n)).append(digits);
    } else {
      out.append(digits.charAt(0));
      if (k > 1) out.append('.').append(digits, 1, k);
      int e = n - 1;
      out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
  }
}
