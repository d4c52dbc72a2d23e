package eu.gov.intake.config;

import eu.gov.intake.audit.ReceiptKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Reads typed values from {@code INTAKE_*} variables and collects every problem before failing once. */
final class EnvReader {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern BYTES = Pattern.compile("(\\d+)(B|KiB|MiB)?");

  private final Map<String, String> env;
  private final String prefix;
  private final List<String> problems = new ArrayList<>();

  EnvReader(Map<String, String> env, String prefix) {
    this.env = env;
    this.prefix = prefix;
  }

  /**
   * The value of {@code INTAKE_<name>}, or the content of the file {@code INTAKE_<name>_FILE} names (a mounted
   * secret: Kubernetes and systemd credentials hand secrets over as files, so they stay out of the environment
   * of every child and of {@code /proc/<pid>/environ}). Both at once is a problem: which one wins would be a guess.
   */
  Optional<String> optional(String name) {
    Optional<String> inline = present(env.get(prefix + name));
    Optional<String> file = present(env.get(prefix + name + "_FILE"));
    if (file.isEmpty()) return inline;
    if (inline.isPresent()) {
      problems.add(prefix + name + " and " + prefix + name + "_FILE are both set: set one");
      return inline;
    }
    try {
      return present(java.nio.file.Files.readString(java.nio.file.Path.of(file.get())));
    } catch (java.io.IOException | RuntimeException e) {
      // the path is not a secret, the content is never read into the message
      problems.add(prefix + name + "_FILE=" + file.get() + " cannot be read (" + e.getClass().getSimpleName() + ")");
      return Optional.empty();
    }
  }

  private static Optional<String> present(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /** A comma-separated list, blanks dropped. */
  List<String> list(String name) {
    return optional(name).map(raw -> java.util.Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  /** A file that must exist and be readable now (a CA certificate): a typo fails at start, not at the first connection. */
  Optional<java.nio.file.Path> readableFile(String name) {
    return optional(name).flatMap(raw -> {
      var path = java.nio.file.Path.of(raw);
      return java.nio.file.Files.isReadable(path) && java.nio.file.Files.isRegularFile(path) ? Optional.of(path)
          : Optional.ofNullable(problem(name, raw, "a readable file", null));
    });
  }

  String string(String name, String fallback) { return optional(name).orElse(fallback); }

  int integer(String name, int fallback, int min, int max) {
    return optional(name).map(raw -> {
      try {
        int value = Integer.parseInt(raw);
        if (value >= min && value <= max) return value;
      } catch (NumberFormatException ignored) {
        // reported below
      }
      return problem(name, raw, "an integer from " + min + " to " + max, fallback);
    }).orElse(fallback);
  }

  boolean bool(String name, boolean fallback) {
    return optional(name).map(raw -> switch (raw.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "on", "yes", "1" -> true;
      case "false", "off", "no", "0" -> false;
      default -> problem(name, raw, "true or false", fallback);
    }).orElse(fallback);
  }

  /**
   * One of a closed set of words, e.g. {@code auto|off}, exactly as listed: some are read by other programs as
   * they are (logback.xml builds a file name from INTAKE_LOG_FORMAT), so "JSON" must not pass for "json".
   */
  String word(String name, String fallback, List<String> allowed) {
    return optional(name)
        .map(raw -> allowed.contains(raw) ? raw : problem(name, raw, "one of " + String.join(", ", allowed), fallback))
        .orElse(fallback);
  }

  int port(String name, int fallback) { return integer(name, fallback, 0, 65535); }

  Duration duration(String name, Duration fallback) {
    return optional(name).map(raw -> {
      var m = DURATION.matcher(raw);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return problem(name, raw, "a duration such as 500ms, 10s, 5m, 24h", fallback);
    }).orElse(fallback);
  }

  int bytes(String name, int fallback) {
    return optional(name).map(raw -> {
      var m = BYTES.matcher(raw);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        long unit = m.group(2) == null || m.group(2).equals("B") ? 1 : m.group(2).equals("KiB") ? 1024 : 1024 * 1024;
        if (n > 0 && n * unit <= Integer.MAX_VALUE) return (int) (n * unit);
      }
      return problem(name, raw, "a size such as 262144, 256KiB or 1MiB", fallback);
    }).orElse(fallback);
  }

  /** A duration with no default: empty when the setting is absent (or wrong, which is a problem). */
  Optional<Duration> optionalDuration(String name) { return Optional.ofNullable(duration(name, null)); }

  Optional<Secret> secret(String name, int minLength) {
    return optional(name).flatMap(raw -> raw.length() >= minLength ? Optional.of(new Secret(raw))
        : Optional.ofNullable(problem(name, "(secret, not shown)", "at least " + minLength + " characters", null)));
  }

  /** The spool's encryption keys, the current first; the key derived from {@code derivedFrom} when none is set. */
  SpoolKeys spoolKeys(String name, KeyedHash derivedFrom) {
    return optional(name).map(raw -> {
      try {
        return SpoolKeys.parse(raw, derivedFrom);
      } catch (IllegalArgumentException e) {
        return problem(name, "(keys, not shown)", "usable: " + e.getMessage(), SpoolKeys.derivedOnly(derivedFrom));
      }
    }).orElseGet(() -> SpoolKeys.derivedOnly(derivedFrom));
  }

  /** The Ed25519 key that signs receipts and the public keys of earlier ones; the key itself never in a message. */
  Optional<ReceiptKeys> receiptKeys(String signingName, String previousName) {
    var previous = optional(previousName).map(raw -> java.util.Arrays.stream(raw.split(",")).map(String::strip)
        .filter(k -> !k.isEmpty()).toList()).orElse(List.of());
    return optional(signingName).flatMap(raw -> {
      try {
        return Optional.of(ReceiptKeys.parse(raw, previous));
      } catch (IllegalArgumentException e) {
        return Optional.ofNullable(problem(signingName, "(key, not shown)", "usable: " + e.getMessage(), null));
      }
    });
  }

  /** {@code INTAKE_KAFKA_PRODUCER_LINGER_MS=5} becomes {@code linger.ms=5}. */
  Map<String, String> passthrough(String group) {
    var out = new TreeMap<String, String>();
    env.forEach((key, value) -> {
      if (key.startsWith(prefix + group)) {
        out.put(key.substring((prefix + group).length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    return out;
  }

  void require(boolean condition, String name, String why) {
    if (!condition) problems.add(prefix + name + ": " + why);
  }

  private <T> T problem(String name, String raw, String expected, T fallback) {
    problems.add(prefix + name + "=" + raw + " is not " + expected);
    return fallback;
  }

  void failIfAnyProblem() {
    if (!problems.isEmpty()) throw new InvalidConfig(String.join("; ", problems));
  }
}
