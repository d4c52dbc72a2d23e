package eu.gov.intake.admission;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.DependencyUnavailable.Dependency;
import eu.gov.intake.failure.RateLimited;
import io.vertx.core.Future;
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
 */
public final class RateLimiter {
  /**
   * The token bucket as a Lua function {@code take_tokens(key, rate, burst, cost)} returning allowed (0 or 1)
   * and the wait in ms: this limiter's own script calls it, and so does the dedupe claim that takes the token of
   * a single submission on the way (one round trip for both; the keys share the client's hash slot).
   */
  public static final String TAKE_FUNCTION = """
      local function take_tokens(key, rate, burst, requested)
      -- a batch larger than the whole bucket could never pass: it empties the bucket instead
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
        tokens = tokens - cost
        allowed = 1
      else
        wait = math.ceil((cost - tokens) * 1000 / rate)
      end
      redis.call('HSET', key, 'tokens', tostring(tokens), 'at', now)
      redis.call('PEXPIRE', key, math.ceil(burst * 1000 / rate) + 1000)
      return allowed, wait
      end
      """;
  private static final String TAKE = TAKE_FUNCTION + """
      local allowed, wait = take_tokens(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
      return {allowed, wait}
      """;

  /** One client's bucket: its Redis key (hash-tagged by client), rate and burst. */
  public record Bucket(String clientId, int ratePerSecond, int burst) {
    public static Bucket of(eu.gov.intake.auth.Caller caller) {
      return new Bucket(caller.clientId(), caller.ratePerSecond(), caller.burst());
    }

    public String key() { return "rate:{" + clientId + "}"; }

    /** The 429 for a request that must wait this long for its token. */
    public RateLimited refused(long waitMillis) {
      return new RateLimited(burst, Duration.ofMillis((long) Math.ceil(burst * 1000.0 / ratePerSecond)), Duration.ofMillis(waitMillis));
    }
  }

  private final Redis redis;
  private final LuaScript take = new LuaScript(TAKE);

  public RateLimiter(Redis redis) { this.redis = redis; }

  /** Takes {@code cost} tokens from the client's bucket, or fails with RateLimited (429). */
  public Future<Void> take(Bucket bucket, int cost) {
    return take.run(redis, bucket.key(), bucket.ratePerSecond(), bucket.burst(), cost)
        .recover(e -> Future.failedFuture(new DependencyUnavailable(Dependency.REDIS, e)))
        .compose(reply -> reply.get(0).toInteger() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(bucket.refused(reply.get(1).toLong())));
  }
}
