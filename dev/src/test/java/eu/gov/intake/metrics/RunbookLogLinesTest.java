package eu.gov.intake.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A runbook that tells an operator to look for a log line must name one that is really logged at the default
 * level (INFO): every {@code log "..."} quoted in the alert rules matches a message that the service's code
 * logs at INFO, WARN or ERROR ({@code {}} placeholders match anything).
 */
class RunbookLogLinesTest {
  private static final Pattern QUOTED = Pattern.compile("log \\\\\"([^\\\\]+)\\\\\"");
  private static final Pattern LOGGING = Pattern.compile("LOG\\.(info|warn|error)\\(|\\.setMessage\\(|warnAtMostOncePerMinute\\(");
  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  @Test
  void everyLogLineARunbookNamesIsLoggedAtTheDefaultLevel() throws IOException {
    String rules = Files.readString(RepoFiles.path("grafana/alerts/intake-rules.yml"));
    var named = QUOTED.matcher(rules).results().map(m -> m.group(1)).toList();
    assertThat(named).as("runbooks that name log lines").hasSizeGreaterThan(8);
    var messages = loggedMessages();
    for (String line : named) {
      assertThat(messages).as("a message logged at INFO or above that reads like: " + line)
          .anyMatch(message -> couldBeIn(line, message));
    }
  }

  /** Whether {@code fragment} can be a piece of {@code message} once its {} placeholders are filled in. */
  static boolean couldBeIn(String fragment, String message) {
    String[] parts = message.split("\\{}", -1);
    for (int first = 0; first < parts.length; first++) {
      if (parts[first].contains(fragment)) return true;
      for (int last = first + 1; last < parts.length && !parts[first].isEmpty(); last++) {
        if (parts[last].isEmpty()) continue;
        var regex = new StringBuilder(alternatives(suffixes(parts[first])));
        for (int middle = first + 1; middle < last; middle++) regex.append(".+").append(Pattern.quote(parts[middle]));
        regex.append(".+").append(alternatives(prefixes(parts[last])));
        if (fragment.matches(regex.toString())) return true;
      }
    }
    return false;
  }

  private static List<String> suffixes(String s) {
    var all = new ArrayList<String>();
    for (int i = 0; i < s.length(); i++) all.add(s.substring(i));
    return all;
  }

  private static List<String> prefixes(String s) {
    var all = new ArrayList<String>();
    for (int i = 1; i <= s.length(); i++) all.add(s.substring(0, i));
    return all;
  }

  private static String alternatives(List<String> options) {
    return "(?:" + String.join("|", options.stream().map(Pattern::quote).toList()) + ")";
  }

  @Test
  void aFragmentMayCrossAPlaceholderButNotInventText() {
    assertThat(couldBeIn("dependency redis is down", "dependency {} is down: {}")).isTrue();
    assertThat(couldBeIn("accepting into the spool", "Kafka unreachable ({}): accepting into the spool")).isTrue();
    assertThat(couldBeIn("dependency redis is gone", "dependency {} is down: {}")).isFalse();
    assertThat(couldBeIn("relay stuck", "relay: shard {} failed")).isFalse();
  }

  /** Each string literal on a logging line. */
  private static List<String> loggedMessages() throws IOException {
    var patterns = new ArrayList<String>();
    try (var files = Files.walk(RepoFiles.path("service/src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        for (String code : Files.readAllLines(file)) {
          if (!LOGGING.matcher(code).find()) continue;
          var literals = LITERAL.matcher(code);
          while (literals.find()) {
            String text = literals.group(1);
            if (!text.isBlank() && !text.equals("{}")) patterns.add(text);
          }
        }
      }
    }
    return patterns;
  }
}
