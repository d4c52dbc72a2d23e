package eu.gov.intake.redis;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The hash tags that place one client's Redis keys. In Redis Cluster a hash tag is a slot, and a slot is one
 * master: one tag per client would put the web channel, most of the portal's traffic, on one node. So each
 * client's keys spread over {@code shards} tags, {@code {client/0}} to {@code {client/N-1}}: an idempotency
 * record by a hash of its key, its client's token sub-bucket in the same tag (one Lua script touches both, and
 * a script's keys must share a slot). With one shard the tag is {@code {client}}, as before sharding.
 */
public record ClientSlots(int shards) {
  public ClientSlots {
    if (shards < 1) throw new IllegalArgumentException("shards must be at least 1");
  }

  /** The shard of a key: the same key, the same shard, on every instance. */
  public int shardOf(String spreadBy) {
    // String.hashCode is fixed by the language spec, so every instance agrees; the multiply mixes its low bits
    return Integer.remainderUnsigned(spreadBy.hashCode() * 0x9E3779B9, shards);
  }

  /** Any shard: for a token that no other key has to share a slot with. */
  public int anyShard() { return shards == 1 ? 0 : ThreadLocalRandom.current().nextInt(shards); }

  public String tag(String clientId, int shard) {
    return shards == 1 ? "{" + clientId + "}" : "{" + clientId + "/" + shard + "}";
  }
}
