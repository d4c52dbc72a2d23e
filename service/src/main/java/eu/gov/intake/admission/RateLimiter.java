package eu.gov.intake.admission;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.DependencyUnavailable.Dependency;
import eu.gov.intake.failure.RateLimited;
import io.vertx.core.Future;
import eu.gov.intake.redis.ClientSlots;
import eu.gov.intake.redis.LuaScript;
import io.vertx.redis.client.Redis;
import java.time.Duration;

/**
 * Per-client token buckets in Redis, shared by every instance: one Lua script, one round trip, atomic. A
 * bucket holds {@code burst} tokens and refills at {@code rate} per second, on Redis's clock.
 *
 * <p>Redis down: the limiter fails like the dedupe claim would right after it, with 503. It does not fail
 * open, because with Redis gone nothing could be accepted anyway, and a limiter that lets everything through
 * while Redis flaps would let one client take the whole instance exactly when it is weakest.
 *
 * <p>Sharded ({@link ClientSlots}, {@code INTAKE_REDIS_CLIENT_SHARDS} = N > 1): a client's bucket is N sub-buckets
 * of rate/N and burst/N each, and a request takes its tokens from one of them. The bound: over any interval T a
 * client is accepted at most rate x T + burst + N applications (each sub-bucket can overshoot by less than one
 * request's cost), and in the long run exactly rate per second when its keys spread evenly; a sub-bucket that is
 * empty while others are not can refuse a request early (a 429 with a short Retry-After), never let one through late.
 */
public final class RateLimiter {
  /**
   * The token bucket as a Lua function {@code take_tokens(key, rate, burst, cost)} returning allowed (0 or 1)
   * and the wait in ms: this limiter's own script calls it, and so does the dedupe claim that takes the token of
   * a single submission on the way (one round trip for both; the keys share the client's hash slot).
   */
  public static final String TAKE_FUNCTION = """
      local function take_tokens(key, rate, burst, requested)
      -- a batch larger than the whole bucket could never pass: it may when the bucket is full, and leaves it in
      -- debt, so that it is paid for in full (a sub-bucket of a sharded client can be smaller than one request)
      local cost = math.min(requested, burst)
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local b = redis.call('HMGET', key, 'tokens', 'at')
      local tokens = tonumber(b[1]) or burst
      local at = tonumber(b[2]) or now
      tokens = math.min(burst, tokens + (now - at) * rate / 1000)
      local allowed = 0
      local wait = 0
      if tokens >= cost then
        tokens = tokens - requested
        allowed = 1
      else
        wait = math.ceil((cost - tokens) * 1000 / rate)
      end
      redis.call('HSET', key, 'tokens', tostring(tokens), 'at', now)
      redis.call('PEXPIRE', key, math.ceil((burst - math.min(tokens, 0)) * 1000 / rate) + 1000)
      return allowed, wait
      end
      """;
  private static final String TAKE = TAKE_FUNCTION + """
      local allowed, wait = take_tokens(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
      return {allowed, wait}
      """;

  /**
   * One client's bucket and the sub-bucket a request takes from: its Redis key (hash-tagged by client and shard),
   * and the rate and burst of the whole bucket.
   */
  public record Bucket(String clientId, int ratePerSecond, int burst, ClientSlots slots, int shard) {
    /** The same client's sub-bucket in another shard: the one a claim's key is in. */
    public Bucket inShard(int other) { return new Bucket(clientId, ratePerSecond, burst, slots, other); }

    public String key() { return "rate:" + slots.tag(clientId, shard); }

    /** The sub-bucket's own rate and burst, as the script takes them. */
    public double shardRate() { return (double) ratePerSecond / slots.shards(); }

    public double shardBurst() { return (double) burst / slots.shards(); }

    /** The 429 for a request that must wait this long for its token. */
    public RateLimited refused(long waitMillis) {
      return new RateLimited(burst, Duration.ofMillis((long) Math.ceil(burst * 1000.0 / ratePerSecond)), Duration.ofMillis(waitMillis));
    }
  }

  private final Redis redis;
  private final ClientSlots slots;
  private final LuaScript take = new LuaScript(TAKE);

  public RateLimiter(Redis redis, ClientSlots slots) {
    this.redis = redis;
    this.slots = slots;
  }

  /** The caller's bucket, in any of its shards. */
  public Bucket bucket(eu.gov.intake.auth.Caller caller) {
    return new Bucket(caller.clientId(), caller.ratePerSecond(), caller.burst(), slots, slots.anyShard());
  }

  /** Takes {@code cost} tokens from the caller's bucket, or fails with RateLimited (429). */
  public Future<Void> take(eu.gov.intake.auth.Caller caller, int cost) { return take(bucket(caller), cost); }

  /** Takes {@code cost} tokens from this (sub-)bucket, or fails with RateLimited (429). */
  public Future<Void> take(Bucket bucket, int cost) {
    return take.run(redis, bucket.key(), bucket.shardRate(), bucket.shardBurst(), cost)
        .recover(e -> Future.failedFuture(new DependencyUnavailable(Dependency.REDIS, e)))
        .compose(reply -> reply.get(0).toInteger() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(bucket.refused(reply.get(1).toLong())));
  }
}
