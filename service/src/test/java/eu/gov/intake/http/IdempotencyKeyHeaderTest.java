package eu.gov.intake.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.gov.intake.failure.MalformedRequest;
import org.junit.jupiter.api.Test;

class IdempotencyKeyHeaderTest {
  @Test
  void bareTokenAndQuotedStringAreTheSameKey() {
    assertThat(IdempotencyKeyHeader.parse("k1")).hasValue("k1");
    assertThat(IdempotencyKeyHeader.parse("\"k1\"")).hasValue("k1");
    assertThat(IdempotencyKeyHeader.parse("x".repeat(255))).hasValue("x".repeat(255));
    assertThat(IdempotencyKeyHeader.parse(null)).isEmpty();
  }

  @Test
  void emptyTooLongOrNonPrintableKeysAreMalformed() {
    for (String bad : new String[] {"", "\"\"", "x".repeat(256), "tab\there", "中文", "\"a\"b\""}) {
      assertThatThrownBy(() -> IdempotencyKeyHeader.parse(bad)).as(bad).isInstanceOf(MalformedRequest.class);
    }
  }
}
