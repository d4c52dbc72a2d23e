package eu.gov.intake.http;

import eu.gov.intake.failure.MalformedRequest;
import java.util.Optional;

/**
 * The {@code Idempotency-Key} header (IETF httpapi draft): a Structured Fields string {@code "k1"} or, as
 * many clients send it, the bare token {@code k1}; both are the same key. 1..255 printable ASCII.
 */
final class IdempotencyKeyHeader {
  private IdempotencyKeyHeader() {}

  static Optional<String> parse(String header) {
    if (header == null) return Optional.empty();
    String key = header;
    if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) key = key.substring(1, key.length() - 1);
    // A quote or backslash left inside is half a quoted string or an sf-string escape: refused, not guessed at.
    if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7E && c != '"' && c != '\\')) {
      throw malformed();
    }
    return Optional.of(key);
  }

  private static MalformedRequest malformed() {
    return new MalformedRequest("an Idempotency-Key is 1 to 255 printable ASCII characters, bare or as a quoted string",
        "Idempotency-Key 须为 1 到 255 个可打印 ASCII 字符，可直接给出或加引号");
  }
}
