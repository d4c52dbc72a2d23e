package eu.gov.intake.catalog;

import com.google.re2j.Pattern;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * JSON Schema {@code pattern}s on RE2/J, whose time is linear in the value for every pattern. The JDK's engine
 * backtracks: a department's {@code ^(.*a){14}$} took half a second on 26 characters and hours on 40, on the
 * event loop, for every instance at once. RE2 has no lookaround and no backreferences, so a catalog that uses
 * them is refused when it loads (the meta-schema's {@code format: "regex"} compiles each pattern through here),
 * never at the first request. A pattern is a search, as in ECMA-262, not a whole-value match.
 */
final class LinearPatterns implements RegularExpressionFactory {
  @Override public RegularExpression getRegularExpression(String regex) {
    var pattern = Pattern.compile(fromEcmaScript(regex));   // PatternSyntaxException for what RE2 cannot run
    return value -> pattern.matcher(value).find();
  }

  /** ECMA-262 writes a code unit {@code \}{@code uXXXX}, RE2 {@code \x{XXXX}}; everything else is left as written. */
  static String fromEcmaScript(String regex) {
    var out = new StringBuilder(regex.length());
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length()) {
        if (regex.charAt(i + 1) == 'u' && i + 6 <= regex.length() && isHex(regex, i + 2, i + 6)) {
          out.append("\\x{").append(regex, i + 2, i + 6).append('}');
          i += 5;
        } else {
          out.append(c).append(regex.charAt(++i));   // an escape pair stays as it is, so \\u is a backslash and a u
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) return false;
    }
    return true;
  }
}
