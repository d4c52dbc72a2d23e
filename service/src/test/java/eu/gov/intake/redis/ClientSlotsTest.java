package eu.gov.intake.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClientSlotsTest {
  @Test
  void oneShardKeepsTheTagOfBeforeSharding() {
    assertThat(new ClientSlots(1).tag("web", 0)).isEqualTo("{web}");
    assertThat(new ClientSlots(1).shardOf("any key")).isZero();
  }

  @Test
  void keysSpreadEvenlyOverTheShardsAndAlwaysToTheSameOne() {
    var slots = new ClientSlots(16);
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < 16_000; i++) counts.merge(slots.shardOf(UUID.randomUUID().toString()), 1, Integer::sum);
    assertThat(counts).hasSize(16);
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
    assertThat(slots.shardOf("key-1")).isEqualTo(new ClientSlots(16).shardOf("key-1"));
    assertThat(slots.tag("web", 3)).isEqualTo("{web/3}");
  }
}
