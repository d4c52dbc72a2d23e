package eu.gov.intake.dedupe;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.DependencyUnavailable.Dependency;
import eu.gov.intake.failure.IdempotencyConflict;
import eu.gov.intake.failure.IdempotencyKeyReused;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.Optional;

/**
 * The idempotency records in Redis ({@code idem:{clientId}:<key>}, a hash: fingerprint, applicationId, state,
 * leaseUntil, response). Two round trips per fresh request: {@link #claim} (one Lua script, atomic) and
 * {@link #complete} (one HSET).
 */
public final class IdempotencyStore {
  /*
   * NEW: no record, reserve it with the caller's fresh applicationId. MISMATCH: another body used this key.
   * COMPLETED: replay the stored response. IN_PROGRESS: someone holds a live lease. TAKEOVER: the lease ran out
   * (its holder died, or released it after a failure before any durable write), so take it over and keep the
   * applicationId chosen the first time: a record that reaches Kafka twice then carries the same event id.
   */
  private static final String CLAIM = """
      local rec = redis.call('HMGET', KEYS[1], 'fingerprint', 'applicationId', 'state', 'leaseUntil', 'response')
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      if not rec[1] then
        redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'applicationId', ARGV[2], 'state', 'IN_PROGRESS',
                   'leaseUntil', now + tonumber(ARGV[3]))
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return {'NEW', ARGV[2]}
      end
      if rec[1] ~= ARGV[1] then return {'MISMATCH', rec[2]} end
      if rec[3] == 'COMPLETED' then return {'COMPLETED', rec[2], rec[5]} end
      local leaseUntil = tonumber(rec[4])
      if leaseUntil > now then return {'IN_PROGRESS', rec[2], tostring(leaseUntil - now)} end
      redis.call('HSET', KEYS[1], 'state', 'IN_PROGRESS', 'leaseUntil', now + tonumber(ARGV[3]))
      return {'TAKEOVER', rec[2]}
      """;

  private final Redis redis;
  private final Duration lease;
  private final Duration ttl;
  private volatile String claimSha;

  public IdempotencyStore(Redis redis, Duration lease, Duration ttl) {
    this.redis = redis;
    this.lease = lease;
    this.ttl = ttl;
  }

  public static String recordKey(String clientId, String idempotencyKey) {
    return "idem:{" + clientId + "}:" + idempotencyKey;  // hash tag: one client's records share a cluster slot
  }

  /** Reserves the key for this request, or finds the earlier answer; fails with the contract's 409 or 422. */
  public Future<Claim> claim(String clientId, String idempotencyKey, Fingerprint fingerprint, String freshApplicationId) {
    String key = recordKey(clientId, idempotencyKey);
    return evalClaim(key, fingerprint.hex(), freshApplicationId)
        .recover(IdempotencyStore::unavailable)
        .map(reply -> switch (reply.get(0).toString()) {
          case "NEW", "TAKEOVER" -> new Claim(key, reply.get(1).toString(), Optional.empty());
          case "COMPLETED" -> {
            var stored = new JsonObject(reply.get(2).toString());
            yield new Claim(key, reply.get(1).toString(), Optional.of(
                new Claim.StoredResponse(stored.getInteger("status"), stored.getJsonObject("body"))));
          }
          case "IN_PROGRESS" -> throw new IdempotencyConflict(Duration.ofMillis(Long.parseLong(reply.get(2).toString())));
          case "MISMATCH" -> throw new IdempotencyKeyReused();
          default -> throw new IllegalStateException("unexpected claim reply " + reply.get(0));
        });
  }

  /** Marks the record COMPLETED with the response to replay; call only after the durable write. */
  public Future<Void> complete(Claim claim, int status, JsonObject body) {
    var stored = new JsonObject().put("status", status).put("body", body);
    return send(Request.cmd(Command.HSET).arg(claim.recordKey()).arg("state").arg("COMPLETED")
        .arg("response").arg(stored.encode()).arg("leaseUntil").arg(0))
        .recover(IdempotencyStore::unavailable).mapEmpty();
  }

  private Future<Response> evalClaim(String key, String fingerprint, String applicationId) {
    String sha = claimSha;
    if (sha == null) {
      return send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(CLAIM))
          .compose(loaded -> {
            claimSha = loaded.toString();
            return evalClaim(key, fingerprint, applicationId);
          });
    }
    return send(Request.cmd(Command.EVALSHA).arg(sha).arg(1).arg(key).arg(fingerprint).arg(applicationId)
        .arg(lease.toMillis()).arg(ttl.toMillis()))
        .recover(e -> {
          if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {  // Redis restarted: load it again
            claimSha = null;
            return evalClaim(key, fingerprint, applicationId);
          }
          return Future.failedFuture(e);
        });
  }

  private Future<Response> send(Request request) { return redis.send(request); }

  /** Any error of Redis itself means it is unavailable for this request: the client gets 503 and may retry. */
  private static <T> Future<T> unavailable(Throwable e) {
    return Future.failedFuture(new DependencyUnavailable(Dependency.REDIS, e));
  }
}
