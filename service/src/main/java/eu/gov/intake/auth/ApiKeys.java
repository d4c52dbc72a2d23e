package eu.gov.intake.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import eu.gov.intake.failure.Unauthenticated;
import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.DependencyUnavailable.Dependency;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Issues and revokes API keys and turns a presented key into a {@link Caller}. Lookups are cached (bounded,
 * {@code cacheTtl}, at most 30 s) so the hot path does not query PostgreSQL per request; the TTL is also how
 * long a revoked key may keep working on an instance that had it cached.
 */
public final class ApiKeys {
  private record StoredKey(byte[] hash, Caller caller) {}

  private final Pool pool;
  private final Cache<String, Optional<StoredKey>> byPrefix;

  public ApiKeys(Pool pool) { this(pool, Duration.ofSeconds(30)); }

  public ApiKeys(Pool pool, Duration cacheTtl) {
    this.pool = pool;
    // bounded: unknown prefixes are cached too (so guessing does not reach PostgreSQL), and they are cheap
    this.byPrefix = Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(cacheTtl).build();
  }

  public Future<Caller> authenticate(String presented) {
    var key = ApiKey.parse(presented);
    if (key.isEmpty()) return onThisContext(Future.failedFuture(new Unauthenticated("an API key is required: Authorization: Bearer <key>", "需要 API 密钥：Authorization: Bearer <密钥>")));
    return find(key.get().prefix())
        .map(stored -> stored.filter(s -> key.get().matches(s.hash())).map(StoredKey::caller)
            .orElseThrow(() -> new Unauthenticated("this API key is not known", "该 API 密钥无效")));
  }

  /**
   * A result at hand, as a future of the caller's context: a request's chain starts here, and the deadline its
   * caller sets is then a timer of its own event loop (Vert.x schedules a timeout on a future of no context on
   * Netty's global executor: a thread hand-off for every request, a tenth of Intake's CPU in the profile).
   */
  private static <T> Future<T> onThisContext(Future<T> now) {
    var context = (io.vertx.core.internal.ContextInternal) io.vertx.core.Vertx.currentContext();
    if (context == null) return now;
    return now.succeeded() ? context.succeededFuture(now.result()) : context.failedFuture(now.cause());
  }

  private Future<Optional<StoredKey>> find(String prefix) {
    var cached = byPrefix.getIfPresent(prefix);
    if (cached != null) return onThisContext(Future.succeededFuture(cached));
    return pool.preparedQuery("""
            SELECT k.key_hash, c.client_id, c.kind, c.channels, c.department_code, c.rate_per_second, c.burst, c.services
            FROM api_keys k JOIN clients c USING (client_id)
            WHERE k.prefix = $1 AND k.revoked_at IS NULL AND c.enabled""")
        .execute(Tuple.of(prefix))
        // no answer from PostgreSQL (down, slow past its statement timeout, every connection and wait taken): 503
        .recover(e -> Future.failedFuture(new DependencyUnavailable(Dependency.POSTGRES, e)))
        .map(rows -> {
          Optional<StoredKey> found = rows.size() == 0 ? Optional.empty() : Optional.of(toStoredKey(rows.iterator().next()));
          byPrefix.put(prefix, found);
          return found;
        });
  }

  private static StoredKey toStoredKey(Row row) {
    var caller = new Caller(row.getString(1), Caller.Kind.valueOf(row.getString(2).toUpperCase(java.util.Locale.ROOT)),
        new HashSet<>(Arrays.asList(row.getArrayOfStrings(3))),
        Optional.ofNullable(row.getArrayOfStrings(7)).map(list -> Set.copyOf(Arrays.asList(list))),
        Optional.ofNullable(row.getString(4)), row.getInteger(5), row.getInteger(6));
    return new StoredKey(row.getBuffer(0).getBytes(), caller);
  }

  /** Revokes a key by its prefix; every instance stops accepting it within its cache TTL. */
  public Future<Boolean> revoke(String prefix) {
    return pool.preparedQuery("UPDATE api_keys SET revoked_at = now() WHERE prefix = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(prefix)).map(done -> done.rowCount() == 1);
  }

  /** Revokes every active key of a client; returns how many. */
  public Future<Integer> revokeAll(String clientId) {
    return pool.preparedQuery("UPDATE api_keys SET revoked_at = now() WHERE client_id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(clientId)).map(done -> done.rowCount());
  }

  /** A new key for the client; the clear value is returned once and stored nowhere. */
  public Future<ApiKey> issue(String clientId) {
    var key = ApiKey.generate();
    return pool.preparedQuery("INSERT INTO api_keys (prefix, client_id, key_hash) VALUES ($1, $2, $3)")
        .execute(Tuple.of(key.prefix(), clientId, io.vertx.core.buffer.Buffer.buffer(key.hash())))
        .map(key);
  }
}
