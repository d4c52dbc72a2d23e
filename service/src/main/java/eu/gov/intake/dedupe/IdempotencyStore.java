package eu.gov.intake.dedupe;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.DependencyUnavailable.Dependency;
import eu.gov.intake.failure.IdempotencyConflict;
import eu.gov.intake.failure.IdempotencyKeyReused;
import eu.gov.intake.redis.ClientSlots;
import eu.gov.intake.admission.RateLimiter;
import eu.gov.intake.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.Optional;

/**
 * The dedupe records in Redis: a hash ({@code fingerprint, applicationId, state, leaseUntil, response}) under
 * {@code idem:{clientId/shard}:<Idempotency-Key>} (24 h), or, for a submission without a key,
 * {@code content:{clientId/shard}:<content fingerprint>} (the service's dedupe window); see {@link ClientSlots}. Every request makes exactly
 * two round trips: {@link #claim} (one Lua script, atomic), then {@link #complete} after the durable write or
 * {@link #release} after a failure (each one atomic command or script). A replay makes one.
 */
public final class IdempotencyStore {
  /*
   * NEW: no record, reserve it with the caller's fresh applicationId. MISMATCH: another body used this key.
   * COMPLETED: replay the stored response. IN_PROGRESS: someone holds a live lease. TAKEOVER: the lease ran out
   * (its holder died, or released it after a failure before any durable write), so take it over and keep the
   * applicationId chosen the first time: a record that reaches Kafka twice then carries the same event id.
   * The clock is Redis's own, so instances with skewed clocks agree on when a lease ends.
   */
  private static final String CLAIM_FUNCTION = """
      local function claim(key, fingerprint, fresh_id, lease, ttl, unkeyed)
      local rec = redis.call('HMGET', key, 'fingerprint', 'applicationId', 'state', 'leaseUntil', 'response')
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      if not rec[1] then
        redis.call('HSET', key, 'fingerprint', fingerprint, 'applicationId', fresh_id, 'state', 'IN_PROGRESS',
                   'leaseUntil', now + tonumber(lease))
        redis.call('PEXPIRE', key, ttl)
        return {'NEW', fresh_id}
      end
      -- a record written before fingerprints were keyed holds the unkeyed one of the same request
      if rec[1] ~= fingerprint and rec[1] ~= unkeyed then return {'MISMATCH', rec[2]} end
      if rec[3] == 'COMPLETED' then return {'COMPLETED', rec[2], rec[5]} end
      local leaseUntil = tonumber(rec[4])
      if leaseUntil > now then return {'IN_PROGRESS', rec[2], tostring(leaseUntil - now)} end
      redis.call('HSET', key, 'state', 'IN_PROGRESS', 'leaseUntil', now + tonumber(lease))
      return {'TAKEOVER', rec[2]}
      end
      """;
  private static final String CLAIM = CLAIM_FUNCTION + """
      return claim(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
      """;
  /**
   * A single submission's claim behind a token of its client's bucket: admission and dedupe in one round trip
   * (both keys carry the client's hash tag). No token, no claim: LIMITED with the wait in ms.
   */
  private static final String TAKE_AND_CLAIM = RateLimiter.TAKE_FUNCTION + CLAIM_FUNCTION + """
      local allowed, wait = take_tokens(KEYS[2], tonumber(ARGV[6]), tonumber(ARGV[7]), 1)
      if allowed == 0 then return {'LIMITED', tostring(wait)} end
      return claim(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
      """;
  private static final String COMPLETE = """
      if redis.call('EXISTS', KEYS[1]) == 1 then
        redis.call('HSET', KEYS[1], 'state', 'COMPLETED', 'response', ARGV[1], 'leaseUntil', 0)
      end
      return 1
      """;
  /** Frees the lease unless the record completed meanwhile; the applicationId and fingerprint stay. */
  private static final String RELEASE = """
      if redis.call('HGET', KEYS[1], 'state') == 'IN_PROGRESS' then
        redis.call('HSET', KEYS[1], 'state', 'RELEASED', 'leaseUntil', 0)
      end
      return 1
      """;

  private final Redis redis;
  private final Duration lease;
  private final Duration keyTtl;
  private final LuaScript claimScript = new LuaScript(CLAIM);
  private final LuaScript takeAndClaimScript = new LuaScript(TAKE_AND_CLAIM);
  private final LuaScript releaseScript = new LuaScript(RELEASE);
  private final LuaScript completeScript = new LuaScript(COMPLETE);

  private final ClientSlots slots;
  private final Fingerprints fingerprints;

  public IdempotencyStore(Redis redis, ClientSlots slots, Fingerprints fingerprints, Duration lease, Duration keyTtl) {
    this.redis = redis;
    this.slots = slots;
    this.fingerprints = fingerprints;
    this.lease = lease;
    this.keyTtl = keyTtl;
  }

  /**
   * Reserves an Idempotency-Key, or finds the earlier answer; fails with the contract's 409 or 422. With a
   * {@code token} bucket, takes one token from it first in the same script (429 without one, nothing claimed).
   */
  public Future<Claim> claimKey(String clientId, String idempotencyKey, Canonical request, String freshApplicationId,
                                Optional<RateLimiter.Bucket> token) {
    // the hash tag puts the record in one of its client's slots, and the token's sub-bucket beside it
    int shard = slots.shardOf(idempotencyKey);
    var fingerprint = fingerprints.both(request);
    return claim("idem:" + slots.tag(clientId, shard) + ":" + idempotencyKey, fingerprint.keyed(), fingerprint.unkeyed(),
        freshApplicationId, keyTtl, token.map(bucket -> bucket.inShard(shard)));
  }

  /** The same for a submission without a key: identical content inside the service's dedupe window. */
  public Future<Claim> claimContent(String clientId, Canonical content, String freshApplicationId, Duration window,
                                    Optional<RateLimiter.Bucket> token) {
    // the record's key is the keyed fingerprint: a content record written before (a window of minutes) is not found
    var fingerprint = fingerprints.of(content);
    int shard = slots.shardOf(fingerprint.hex());
    return claim("content:" + slots.tag(clientId, shard) + ":" + fingerprint.hex(), fingerprint, fingerprint, freshApplicationId,
        window, token.map(bucket -> bucket.inShard(shard)));
  }

  private Future<Claim> claim(String key, Fingerprint fingerprint, Fingerprint unkeyed, String freshApplicationId, Duration ttl,
                              Optional<RateLimiter.Bucket> token) {
    Future<io.vertx.redis.client.Response> reply = token.isEmpty()
        ? claimScript.run(redis, key, fingerprint.hex(), freshApplicationId, lease.toMillis(), ttl.toMillis(), unkeyed.hex())
        : takeAndClaimScript.run(redis, java.util.List.of(key, token.get().key()), fingerprint.hex(), freshApplicationId,
            lease.toMillis(), ttl.toMillis(), unkeyed.hex(), token.get().shardRate(), token.get().shardBurst());
    return reply
        .recover(IdempotencyStore::unavailable)
        .map(r -> switch (r.get(0).toString()) {
          case "LIMITED" -> throw token.orElseThrow().refused(Long.parseLong(r.get(1).toString()));
          case "NEW", "TAKEOVER" -> new Claim(key, r.get(1).toString(), Optional.empty());
          case "COMPLETED" -> {
            var stored = new JsonObject(r.get(2).toString());
            yield new Claim(key, r.get(1).toString(), Optional.of(
                new Claim.StoredResponse(stored.getInteger("status"), stored.getJsonObject("body"))));
          }
          case "IN_PROGRESS" -> throw new IdempotencyConflict(Duration.ofMillis(Long.parseLong(r.get(2).toString())));
          case "MISMATCH" -> throw new IdempotencyKeyReused();
          default -> throw new IllegalStateException("unexpected claim reply " + r.get(0));
        });
  }

  /**
   * Marks the record COMPLETED with the response to replay; call only after the durable write. A record that
   * expired meanwhile (a short content window, a slow spool commit) is not written again: it would have no TTL.
   */
  public Future<Void> complete(Claim claim, int status, Buffer body) {
    // the body as it was sent, not written a second time; read back as {@code {"status","body"}} by claim
    var stored = Buffer.buffer(body.length() + 24).appendString("{\"status\":").appendString(Integer.toString(status))
        .appendString(",\"body\":").appendBuffer(body).appendString("}");
    return completeScript.run(redis, claim.recordKey(), stored).recover(IdempotencyStore::unavailable).mapEmpty();
  }

  /** After a failure before any durable write: the retry may go ahead at once, with the same applicationId. */
  public Future<Void> release(Claim claim) {
    return releaseScript.run(redis, claim.recordKey()).recover(IdempotencyStore::unavailable).mapEmpty();
  }

  /** Any error of Redis itself means it is unavailable for this request: the client gets 503 and may retry. */
  private static <T> Future<T> unavailable(Throwable e) {
    return Future.failedFuture(new DependencyUnavailable(Dependency.REDIS, e));
  }

}
