package eu.gov.intake.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written check accepts exactly what the format's regular expression accepts. */
class ApiKeyTest {
  private static final Pattern FORMAT = Pattern.compile("ik_([A-Za-z0-9]{8})_[A-Za-z0-9_-]{43}");

  @Test
  void acceptsExactlyTheFormat() {
    var random = new Random(42);
    String alphabet = "ik_-AZaz09+/=. \u00e9\u4e2d";
    for (int n = 0; n < 20_000; n++) {
      var key = new StringBuilder(ApiKey.generate().value());
      // mutations of a valid key: a character replaced, one removed or one added
      int edits = random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(key.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> key.setCharAt(at, c);
          case 1 -> key.deleteCharAt(at);
          default -> key.insert(at, c);
        }
      }
      String presented = key.toString();
      var m = FORMAT.matcher(presented);
      var parsed = ApiKey.parse(presented);
      assertThat(parsed.isPresent()).as(presented).isEqualTo(m.matches());
      parsed.ifPresent(k -> assertThat(k.prefix()).isEqualTo(m.group(1)));
    }
    assertThat(ApiKey.parse(null)).isEmpty();
    assertThat(ApiKey.parse("")).isEmpty();
  }
}
