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
import java.time.Instant;
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
   * NEW: no record, reserve it with the caller's applicationId and receivedAt. MISMATCH: another body used this key.
   * COMPLETED: replay the stored response. IN_PROGRESS: someone holds a live lease. TAKEOVER: the lease ran out
   * (its holder died, or released it after a failure before any durable write), so take it over and keep the
   * applicationId and receivedAt chosen the first time: a record that reaches Kafka twice is then the same
   * event, byte for byte. Each holder of the lease gets its attempt number, the fencing token that complete and
   * release must show: a holder whose lease was taken over can no longer touch the record. The clock is Redis's
   * own, so instances with skewed clocks agree on when a lease ends.
   */
  private static final String CLAIM_FUNCTION = """
      local function claim(key, fingerprint, fresh_id, lease, ttl, unkeyed, received_at)
      local rec = redis.call('HMGET', key, 'fingerprint', 'applicationId', 'state', 'leaseUntil', 'response', 'receivedAt')
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      if not rec[1] then
        redis.call('HSET', key, 'fingerprint', fingerprint, 'applicationId', fresh_id, 'state', 'IN_PROGRESS',
                   'leaseUntil', now + tonumber(lease), 'receivedAt', received_at, 'attempt', 1)
        redis.call('PEXPIRE', key, ttl)
        return {'NEW', fresh_id, received_at, '1'}
      end
      -- a record written before fingerprints were keyed holds the unkeyed one of the same request
      if rec[1] ~= fingerprint and rec[1] ~= unkeyed then return {'MISMATCH', rec[2]} end
      if rec[3] == 'COMPLETED' then return {'COMPLETED', rec[2], rec[5]} end
      local leaseUntil = tonumber(rec[4])
      if leaseUntil > now then return {'IN_PROGRESS', rec[2], tostring(leaseUntil - now)} end
      redis.call('HSET', key, 'state', 'IN_PROGRESS', 'leaseUntil', now + tonumber(lease))
      -- a record written before receivedAt was kept: the retry's own time is the best there is
      return {'TAKEOVER', rec[2], rec[6] or received_at, tostring(redis.call('HINCRBY', key, 'attempt', 1))}
      end
      """;
  private static final String CLAIM = CLAIM_FUNCTION + """
      return claim(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
      """;
  /**
   * A single submission's claim behind a token of its client's bucket: admission and dedupe in one round trip
   * (both keys carry the client's hash tag). No token, no claim: LIMITED with the wait in ms.
   */
  private static final String TAKE_AND_CLAIM = RateLimiter.TAKE_FUNCTION + CLAIM_FUNCTION + """
      local allowed, wait = take_tokens(KEYS[2], tonumber(ARGV[7]), tonumber(ARGV[8]), 1)
      if allowed == 0 then return {'LIMITED', tostring(wait)} end
      return claim(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
      """;
  /** Only by the lease's holder (attempt ARGV[2]; a record written before attempts were numbered holds none: '0'). */
  private static final String COMPLETE = """
      local state, attempt = unpack(redis.call('HMGET', KEYS[1], 'state', 'attempt'))
      if state == 'IN_PROGRESS' and (attempt or '0') == ARGV[2] then
        redis.call('HSET', KEYS[1], 'state', 'COMPLETED', 'response', ARGV[1], 'leaseUntil', 0)
        return 1
      end
      return 0
      """;
  /** Frees the lease if this attempt still holds it; the applicationId, receivedAt and fingerprint stay. */
  private static final String RELEASE = """
      local state, attempt = unpack(redis.call('HMGET', KEYS[1], 'state', 'attempt'))
      if state == 'IN_PROGRESS' and (attempt or '0') == ARGV[1] then
        redis.call('HSET', KEYS[1], 'state', 'RELEASED', 'leaseUntil', 0)
        return 1
      end
      return 0
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
   * The applicationId is derived from the client, the key and the request ({@link Fingerprints#idFor}), not drawn:
   * if Redis loses the record (a restart without persistence, a failover before replication), the retry still
   * gets the id of the first attempt, and a consumer drops the second record as a repeat of its ce_id.
   */
  public Future<Claim> claimKey(String clientId, String idempotencyKey, Canonical request, Instant receivedAt,
                                Optional<RateLimiter.Bucket> token) {
    // the hash tag puts the record in one of its client's slots, and the token's sub-bucket beside it
    int shard = slots.shardOf(idempotencyKey);
    var fingerprint = fingerprints.both(request);
    return claim("idem:" + slots.tag(clientId, shard) + ":" + idempotencyKey, fingerprint.keyed(), fingerprint.unkeyed(),
        fingerprints.idFor(clientId, idempotencyKey, fingerprint.keyed()), receivedAt, keyTtl, token.map(bucket -> bucket.inShard(shard)));
  }

  /** The same for a submission without a key: identical content inside the service's dedupe window. */
  public Future<Claim> claimContent(String clientId, Canonical content, String freshApplicationId, Instant receivedAt,
                                    Duration window, Optional<RateLimiter.Bucket> token) {
    // the record's key is the keyed fingerprint: a content record written before (a window of minutes) is not found
    var fingerprint = fingerprints.of(content);
    int shard = slots.shardOf(fingerprint.hex());
    return claim("content:" + slots.tag(clientId, shard) + ":" + fingerprint.hex(), fingerprint, fingerprint, freshApplicationId,
        receivedAt, window, token.map(bucket -> bucket.inShard(shard)));
  }

  private Future<Claim> claim(String key, Fingerprint fingerprint, Fingerprint unkeyed, String freshApplicationId,
                              Instant receivedAt, Duration ttl, Optional<RateLimiter.Bucket> token) {
    Future<io.vertx.redis.client.Response> reply = token.isEmpty()
        ? claimScript.run(redis, key, fingerprint.hex(), freshApplicationId, lease.toMillis(), ttl.toMillis(), unkeyed.hex(),
            receivedAt.toString())
        : takeAndClaimScript.run(redis, java.util.List.of(key, token.get().key()), fingerprint.hex(), freshApplicationId,
            lease.toMillis(), ttl.toMillis(), unkeyed.hex(), receivedAt.toString(), token.get().shardRate(), token.get().shardBurst());
    return reply
        .recover(IdempotencyStore::unavailable)
        .map(r -> switch (r.get(0).toString()) {
          case "LIMITED" -> throw token.orElseThrow().refused(Long.parseLong(r.get(1).toString()));
          case "NEW", "TAKEOVER" -> new Claim(key, r.get(1).toString(), Instant.parse(r.get(2).toString()), r.get(3).toString(),
              Optional.empty());
          case "COMPLETED" -> {
            var stored = new JsonObject(r.get(2).toString());
            yield new Claim(key, r.get(1).toString(), receivedAt, "", Optional.of(
                new Claim.StoredResponse(stored.getInteger("status"), stored.getJsonObject("body"))));
          }
          case "IN_PROGRESS" -> throw new IdempotencyConflict(Duration.ofMillis(Long.parseLong(r.get(2).toString())));
          case "MISMATCH" -> throw new IdempotencyKeyReused();
          default -> throw new IllegalStateException("unexpected claim reply " + r.get(0));
        });
  }

  /**
   * Marks the record COMPLETED with the response to replay; call only after the durable write. True if written:
   * false if this attempt no longer holds the lease (another took it over, and completes it with the same event)
   * or the record expired meanwhile (a short content window, a slow spool commit: written again it would have no TTL).
   */
  public Future<Boolean> complete(Claim claim, int status, Buffer body) {
    // the body as it was sent, not written a second time; read back as {@code {"status","body"}} by claim
    var stored = Buffer.buffer(body.length() + 24).appendString("{\"status\":").appendString(Integer.toString(status))
        .appendString(",\"body\":").appendBuffer(body).appendString("}");
    return completeScript.run(redis, claim.recordKey(), stored, claim.attempt()).recover(IdempotencyStore::unavailable)
        .map(written -> written.toInteger() == 1);
  }

  /**
   * After a failure before any durable write: the retry may go ahead at once, with the same applicationId. Only
   * the lease's holder frees it: a stale attempt cannot free a newer one's lease for a third.
   */
  public Future<Void> release(Claim claim) {
    return releaseScript.run(redis, claim.recordKey(), claim.attempt()).recover(IdempotencyStore::unavailable).mapEmpty();
  }

  /** Any error of Redis itself means it is unavailable for this request: the client gets 503 and may retry. */
  private static <T> Future<T> unavailable(Throwable e) {
    return Future.failedFuture(new DependencyUnavailable(Dependency.REDIS, e));
  }

}
