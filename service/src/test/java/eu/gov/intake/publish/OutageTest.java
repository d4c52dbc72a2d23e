package eu.gov.intake.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutageTest {
  @Test
  void withARelayOnlyTheRelayEndsIt() throws Exception {
    var outage = new Outage();
    outage.begin(new RuntimeException("down"));
    Thread.sleep(50);
    assertThat(outage.active()).isTrue();
    outage.end();
    assertThat(outage.active()).isFalse();
  }

  @Test
  void withoutARelayItEndsByItselfAndBeginsAgainOnTheNextFailure() throws Exception {
    var outage = new Outage(Optional.of(Duration.ofMillis(100)));
    outage.begin(new RuntimeException("down"));
    assertThat(outage.active()).isTrue();
    Thread.sleep(200);
    assertThat(outage.active()).as("tried again after retryAfter").isFalse();
    outage.begin(new RuntimeException("still down"));
    assertThat(outage.active()).isTrue();
  }
}
