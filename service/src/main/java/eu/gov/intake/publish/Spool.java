package eu.gov.intake.publish;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.Overloaded;
import eu.gov.intake.failure.DependencyUnavailable.Dependency;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Optional;
import java.util.UUID;

/**
 * The PostgreSQL spool: where an event is committed when Kafka cannot take it, so that its 202 still means
 * durable. Appends are group-committed: while one transaction is in flight, the appends that arrive meanwhile
 * wait and go together in the next one, so a burst during an outage costs one commit per batch rather than
 * one per request, and a lone append is not delayed at all. At most {@code maxQueued} wait (past it: 503
 * {@code overloaded} at once), and each leaves the queue at its request's deadline: while a commit hangs (Kafka
 * down and PostgreSQL slow) the queue, and the applications in it, would otherwise only grow. What a row stores of
 * its event (the whole application) is encrypted ({@link SpoolCipher}); the columns beside it are routing only.
 */
public final class Spool {
  /** Shards of the relay; one applicant's (or one application's) events are all in one shard. */
  static final int SHARDS = 16;

  private static final String INSERT = """
      INSERT INTO spool (event_id, topic, record_key, shard, ce_type, ce_subject, ce_time, traceparent, value, application_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (event_id) DO NOTHING""";

  private static final class Pending {
    final Event event;
    final Instant deadline;
    final Promise<Void> committed = Promise.promise();
    long expiry;

    Pending(Event event, Instant deadline) {
      this.event = event;
      this.deadline = deadline;
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  /** Status reads of spooled applications: the API's connections, not the durable path's. */
  private final Pool reads;
  private final int maxBatch;
  private final int maxQueued;
  private final SpoolCipher cipher;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean committing;
  private volatile long pendingRows;
  /** Whether submissions wait in the spool, as far as this instance knows. */
  private volatile boolean holdsSubmissions;
  private final java.util.concurrent.atomic.AtomicLong appends = new java.util.concurrent.atomic.AtomicLong();
  private volatile Optional<Instant> oldestPending = Optional.empty();

  public Spool(Vertx vertx, Pool pool, Pool reads, int maxBatch, int maxQueued, SpoolCipher cipher) {
    this.cipher = cipher;
    this.vertx = vertx;
    this.pool = pool;
    this.reads = reads;
    this.maxBatch = maxBatch;
    this.maxQueued = maxQueued;
  }

  /**
   * Completes once the event is committed; fails with 503 if PostgreSQL fails or the deadline passed first, and at
   * once (overloaded) if {@code maxQueued} appends already wait.
   */
  public Future<Void> append(Event event, Instant deadline) {
    var pending = new Pending(event, deadline);
    boolean start;
    synchronized (queue) {
      if (queue.size() >= maxQueued) return Future.failedFuture(new Overloaded());
      // set before it is queued, under the lock: a commit that takes it at once must find the timer to cancel
      pending.expiry = vertx.setTimer(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), t -> expire(pending));
      queue.add(pending);
      start = !committing;
      committing = true;
    }
    if (event.type().equals(Event.SUBMITTED)) {
      appends.incrementAndGet();
      holdsSubmissions = true;  // seen at once by this instance's next submissions; the relay's count corrects it
    }
    if (start) commitNext();
    return pending.committed.future();
  }

  private void commitNext() {
    var batch = new ArrayList<Pending>();
    synchronized (queue) {
      Instant now = Instant.now();
      while (!queue.isEmpty() && batch.size() < maxBatch) {
        var next = queue.poll();
        vertx.cancelTimer(next.expiry);
        // its client already got 503: committing it now would make that answer a lie
        if (next.deadline.isBefore(now)) next.committed.fail(notStarted());
        else batch.add(next);
      }
      if (batch.isEmpty()) {
        committing = false;
        return;
      }
    }
    pool.withTransaction(conn -> conn.preparedQuery(INSERT).executeBatch(batch.stream().map(p -> row(p.event)).toList()))
        .onComplete(done -> {
          for (var p : batch) {
            if (done.succeeded()) p.committed.complete();
            else p.committed.fail(new DependencyUnavailable(Dependency.POSTGRES, done.cause()));
          }
          commitNext();
        });
  }

  /** Its deadline came while it still waited for a commit: out of the queue, its client has its 503. */
  private void expire(Pending pending) {
    boolean waited;
    synchronized (queue) {
      waited = queue.remove(pending);
    }
    if (waited) pending.committed.fail(notStarted());
  }

  private static DependencyUnavailable notStarted() {
    return new DependencyUnavailable(Dependency.POSTGRES,
        new java.util.concurrent.TimeoutException("spool commit did not start before the request's deadline"));
  }

  /** Appends waiting for a commit now. */
  public int queued() {
    synchronized (queue) {
      return queue.size();
    }
  }

  /** The same row written inside the caller's transaction: the outbox of the status API. */
  public Future<Void> appendIn(SqlConnection conn, Event event) {
    return conn.preparedQuery(INSERT).execute(row(event)).mapEmpty();
  }

  private Tuple row(Event e) {
    return Tuple.of(e.id(), e.topic(), e.key(), (short) shardOf(e.key()), e.type(), e.subject().orElse(null),
            e.time().atOffset(ZoneOffset.UTC), e.traceparent().orElse(null))
        .addBuffer(cipher.seal(SpoolCipher.Binding.of(e), e.value())).addUUID(UUID.fromString(e.applicationId()));
  }

  static int shardOf(String key) { return Math.floorMod(key.hashCode(), SHARDS); }

  /**
   * Whether this instance knows of unpublished rows (its own appends, or the relay's last count). Cheap, so
   * the hot path asks it first and only asks PostgreSQL about one applicant while the spool is draining.
   */
  public boolean mayHoldPending() { return holdsSubmissions; }

  /** Whether events with this Kafka key wait in the spool: a new one must then queue behind them. */
  public Future<Boolean> holdsPendingFor(String key) {
    return pool.preparedQuery("SELECT 1 FROM spool WHERE record_key = $1 AND published_at IS NULL LIMIT 1")
        .execute(Tuple.of(key))
        .map(rows -> rows.size() > 0)
        .recover(e -> Future.failedFuture(new DependencyUnavailable(Dependency.POSTGRES, e)));
  }

  /** Counts what waits to be relayed; the relay calls it every pass (an instance without one, as often), and the gauges read what it found. */
  public Future<Long> count() {
    long appendsBefore = appends.get();
    return pool.preparedQuery("SELECT count(*), count(*) FILTER (WHERE ce_type = $1), min(spooled_at) FROM spool "
            + "WHERE published_at IS NULL").execute(Tuple.of(Event.SUBMITTED))
        .map(rows -> {
          Row row = rows.iterator().next();
          pendingRows = row.getLong(0);
          // an append that raced the count may be missing from it: never clear what it set
          holdsSubmissions = row.getLong(1) > 0 || appends.get() != appendsBefore;
          oldestPending = Optional.ofNullable(row.getOffsetDateTime(2)).map(t -> t.toInstant());
          return pendingRows;
        });
  }

  public long pendingRows() { return pendingRows; }

  /** Seconds the oldest unpublished row has waited; 0 when the spool is empty. */
  public double oldestPendingSeconds() {
    return oldestPending.map(t -> Math.max(0, (Instant.now().toEpochMilli() - t.toEpochMilli()) / 1000.0)).orElse(0.0);
  }

  /** The submitted event of an application still in the spool (published or not), for status reads. */
  public Future<Optional<Buffer>> submitted(String applicationId) {
    return reads.preparedQuery("SELECT event_id, topic, application_id, ce_type, value FROM spool WHERE application_id = $1 AND ce_type = $2 LIMIT 1")
        .execute(Tuple.of(UUID.fromString(applicationId), Event.SUBMITTED))
        .map(rows -> rows.size() == 0 ? Optional.<Buffer>empty()
            : Optional.of(value(rows.iterator().next())));
  }

  /** A row's event bytes, decrypted: the row holds {@code value} and the columns it is bound to. */
  Buffer value(Row row) {
    return cipher.open(SpoolCipher.Binding.of(row), row.getBuffer("value"));
  }

  /** Waits until every append made so far has been committed or failed; for shutdown (the caller bounds it). */
  public Future<Void> drained() {
    synchronized (queue) {
      if (!committing) return Future.succeededFuture();
    }
    return vertx.timer(20).compose(t -> drained());
  }
}
