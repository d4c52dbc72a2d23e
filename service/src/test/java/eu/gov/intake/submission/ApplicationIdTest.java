package eu.gov.intake.submission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApplicationIdTest {
  @Test
  void isAVersion7UuidThatSortsByTime() {
    UUID earlier = ApplicationId.at(1_700_000_000_000L);
    UUID later = ApplicationId.at(1_700_000_000_001L);
    assertThat(earlier.version()).isEqualTo(7);
    assertThat(earlier.variant()).isEqualTo(2);
    assertThat(earlier.toString().compareTo(later.toString())).isNegative();
    assertThat(earlier.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_000L);
  }
}
