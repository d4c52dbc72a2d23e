package eu.gov.intake.ledger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes ledger history older than the retention, and the applications left with none, a chunk per statement
 * ({@code ledger_purge}, migration V7), on one instance at a time (an advisory lock). A department's chain is cut
 * at its front only, so what is kept still verifies. Runs every quarter of the retention, at most hourly.
 */
public final class LedgerRetention {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerRetention.class);
  private static final int LOCK_CLASS = 0x1A7B;
  private static final int CHUNK = 5_000;

  private final Vertx vertx;
  private final Pool pool;
  private final Duration retention;
  private volatile boolean stopped;
  private long timer = -1;
  private Future<?> current = Future.succeededFuture();

  public LedgerRetention(Vertx vertx, Pool pool, Duration retention) {
    this.vertx = vertx;
    this.pool = pool;
    this.retention = retention;
  }

  public void start() { schedule(1); }

  private void schedule(long delayMillis) {
    if (!stopped) timer = vertx.setTimer(delayMillis, t -> pass());
  }

  private long every() { return Math.max(1_000, Math.min(Duration.ofHours(1).toMillis(), retention.toMillis() / 4)); }

  private void pass() {
    var cutoff = Instant.now().minus(retention).atOffset(ZoneOffset.UTC);
    current = pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1, 0)").execute(Tuple.of(LOCK_CLASS))
            .compose(locked -> !locked.iterator().next().getBoolean(0) ? Future.succeededFuture(0)
                : conn.preparedQuery("SELECT ledger_purge($1, $2)").execute(Tuple.of(cutoff, CHUNK))
                    .map(rows -> rows.iterator().next().getInteger(0))))
        .onComplete(removed -> {
          if (removed.failed()) {
            LOG.warn("ledger retention pass failed, tried again in {} s: {}", every() / 1000, removed.cause().toString());
          } else if (removed.result() > 0) {
            LOG.info("ledger retention removed {} history entries older than {}", removed.result(), cutoff);
          }
          // a full chunk: more is due, at once
          schedule(removed.succeeded() && removed.result() >= CHUNK ? 1 : every());
        });
  }

  /** No pass after this one; waits for the current one to commit or roll back. */
  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) vertx.cancelTimer(timer);
    return current.transform(r -> Future.<Void>succeededFuture());
  }
}
