package eu.gov.intake.failure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneLineTest {
  @Test
  void aPasswordInALibrarysMessageNeverReachesTheLine() {
    var e = new java.util.concurrent.CompletionException(new IllegalArgumentException("cannot connect to rediss://intake:hunter2@10.0.0.7:6380 (password=hunter2)\nmore"));
    assertThat(OneLine.of(e)).isEqualTo("IllegalArgumentException: cannot connect to rediss://intake:****@10.0.0.7:6380 (password=****)");
  }
}
