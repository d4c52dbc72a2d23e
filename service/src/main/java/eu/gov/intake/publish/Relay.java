package eu.gov.intake.publish;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the spool to Kafka. Each pass goes over the shards; a shard is relayed by one instance at a time
 * (a transaction-scoped advisory lock, skipped when another instance holds it), its rows in the order they
 * were accepted, locked FOR UPDATE, published with the ce_id they were spooled with, and marked published
 * only after every one of them was acknowledged. A crash before the mark rolls the transaction back, so the
 * rows are published again, with the same ce_id: consumers see a twin, never a different id.
 */
public final class Relay {
  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
  private static final int LOCK_CLASS = 0x1A7A;
  private static final String SELECT = """
      SELECT seq, event_id, topic, record_key, ce_type, ce_subject, ce_time, traceparent, value, application_id, attempts
      FROM spool WHERE shard = $1 AND published_at IS NULL ORDER BY seq LIMIT $2 FOR UPDATE""";
  private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
  /**
   * Refusals by Kafka of one row (too large for its topic, invalid) before it goes to the dead-letter topic: a row
   * Kafka will never take must not hold its applicant's later rows for ever. An unreachable Kafka is no refusal.
   */
  public static final int MAX_ATTEMPTS = 3;

  private final Vertx vertx;
  private static final int PURGE_CHUNK = 5_000;
  private final Pool pool;
  private final Spool spool;
  private final Publisher publisher;
  private final Outage outage;
  private final KnownTopics topics;
  private final Duration interval;
  private final int batch;
  private final Duration publishTimeout;
  private final Duration retention;
  private final LongConsumer relayed;
  private volatile boolean stopped;
  private volatile boolean passing;
  private volatile boolean wokenDuringPass;
  private volatile long timer = -1;
  private long lastPurge;
  private Future<?> current = Future.succeededFuture();

  public record Settings(Duration interval, int batch, Duration publishTimeout, Duration retention) {}

  public Relay(Vertx vertx, Pool pool, Spool spool, Publisher publisher, Outage outage, KnownTopics topics, Settings settings,
               LongConsumer relayed) {
    this.topics = topics;
    this.vertx = vertx;
    this.pool = pool;
    this.spool = spool;
    this.publisher = publisher;
    this.outage = outage;
    this.interval = settings.interval();
    this.batch = settings.batch();
    this.publishTimeout = settings.publishTimeout();
    this.retention = settings.retention();
    this.relayed = relayed;
  }

  public void start() { schedule(0); }

  private void schedule(long delayMillis) {
    if (!stopped) timer = vertx.setTimer(Math.max(1, delayMillis), t -> pass());
  }

  /**
   * Runs a pass now instead of at the next interval (a status change waits in the outbox); if one is running,
   * another follows it at once.
   */
  public void wake() {
    if (stopped) return;
    if (passing) {
      wokenDuringPass = true;
    } else if (vertx.cancelTimer(timer)) {
      schedule(1);
    }
  }

  private long lastWarned;

  private void pass() {
    passing = true;
    current = spool.count()
        .compose(pending -> pending == 0 ? Future.succeededFuture(0) : refreshTopics().compose(listed -> drainShards()))
        .compose(full -> purge().map(full))
        .onComplete(r -> {
          if (r.failed()) warnAtMostOncePerMinute("relay pass failed: " + r.cause());
          passing = false;
          boolean again = wokenDuringPass || (r.succeeded() && r.result() > 0);
          wokenDuringPass = false;
          // a shard that gave a full batch has more: go again at once instead of waiting a whole interval
          schedule(again ? 1 : interval.toMillis());
        });
  }

  /**
   * A relay that keeps failing while Kafka is back is what an operator must see (IntakeRelayStuck), but it
   * retries every second: one line a minute says it without flooding the log.
   */
  private void warnAtMostOncePerMinute(String line) {
    long now = System.nanoTime();
    if (lastWarned != 0 && now - lastWarned < 60_000_000_000L) return;
    lastWarned = now;
    LOG.warn("{} (logged at most once a minute)", line);
  }

  /**
   * Which topics exist, before rows are routed: a row whose department topic is missing goes to the dead-letter
   * topic. Bounded, and never fails the pass: while Kafka is unreachable the last listing stands.
   */
  private Future<Void> refreshTopics() {
    return topics.refreshIfOlderThan(Duration.ofSeconds(1)).otherwise(e -> null);
  }

  /** Every shard once, from a random one so that instances spread out; returns how many were full. */
  private Future<Integer> drainShards() {
    int first = ThreadLocalRandom.current().nextInt(Spool.SHARDS);
    Future<Integer> chain = Future.succeededFuture(0);
    for (int i = 0; i < Spool.SHARDS; i++) {
      int shard = (first + i) % Spool.SHARDS;
      // a shard that fails (its oldest row cannot be published) must not hold up the shards after it
      chain = chain.compose(full -> stopped ? Future.succeededFuture(full)
          : drainShard(shard).map(relayedNow -> relayedNow >= limit() ? full + 1 : full)
              .recover(e -> {
                warnAtMostOncePerMinute("relay: shard " + shard + " failed: " + e);
                return Future.succeededFuture(full);
              }));
    }
    return chain;
  }

  /** While Kafka is believed down, a pass sends one row per shard: a probe, not a pile for the producer's buffer. */
  private int limit() { return outage.active() ? 1 : batch; }

  private Future<Integer> drainShard(int shard) {
    int limit = limit();
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1, $2)")
        .execute(Tuple.of(LOCK_CLASS, shard))
        .compose(locked -> !locked.iterator().next().getBoolean(0) ? Future.succeededFuture(0)
            : conn.preparedQuery(SELECT).execute(Tuple.of((short) shard, limit)).compose(rows -> {
              if (rows.size() == 0) return Future.succeededFuture(0);
              // every row opened before any is sent: one that cannot be (its key no longer configured, its bytes
              // changed) must not fail the batch after the rows before it went to Kafka, or they would go again each pass
              var seqs = new ArrayList<Long>();
              var attempts = new ArrayList<Integer>();
              var events = new ArrayList<Event>();
              for (Row row : rows) {
                try {
                  events.add(event(row));
                } catch (SpoolCipher.SpoolRowUnreadable e) {
                  // the rows after it wait behind it, as its applicant's order asks; the ones before it go now
                  warnAtMostOncePerMinute("relay: shard " + shard + " stops at a row: " + e.getMessage());
                  break;
                }
                seqs.add(row.getLong("seq"));
                attempts.add((int) row.getShort("attempts"));
              }
              if (events.isEmpty()) return Future.succeededFuture(0);
              var sends = new ArrayList<Future<?>>();
              for (Event event : events) {     // sent in order: the producer keeps the order within a partition
                sends.add(publisher.publish(topics.route(event))
                    .timeout(publishTimeout.toMillis(), TimeUnit.MILLISECONDS));
              }
              return Future.join(sends).transform(all -> settle(conn, seqs, attempts, events, sends));
            })))
        .onSuccess(n -> {
          if (n > 0) relayed.accept(n);
        });
  }

  /**
   * What a batch's sends came to. A row is marked published if it was acknowledged and no earlier row of its key
   * in the batch failed: a later one goes again with it, after it, so that its applicant's order holds (a twin
   * with the same ce_id is allowed, a swapped order is not). A row Kafka refused counts an attempt; any other
   * failure means Kafka is unreachable, and the outage begins.
   */
  private Future<Integer> settle(SqlConnection conn, List<Long> seqs, List<Integer> attempts, List<Event> events,
                                 List<Future<?>> sends) {
    var published = new ArrayList<Long>();
    var refused = new ArrayList<Long>();
    var failedKeys = new java.util.HashSet<String>();
    Throwable unreachable = null;
    for (int i = 0; i < sends.size(); i++) {
      var send = sends.get(i);
      String key = events.get(i).key();
      if (send.succeeded() && !failedKeys.contains(key)) {
        published.add(seqs.get(i));
      } else if (send.failed()) {
        failedKeys.add(key);
        if (Publisher.refused(send.cause())) {
          refused.add(seqs.get(i));
          LOG.warn("relay: Kafka refused spooled event {} on {} ({}; refusal {}, after {} it goes to the dead-letter topic)",
              events.get(i).id(), events.get(i).topic(), Publisher.refusal(send.cause()), attempts.get(i) + 1, MAX_ATTEMPTS);
        } else if (unreachable == null) {
          unreachable = send.cause();
        }
      }
    }
    if (unreachable != null) outage.begin(unreachable);
    else if (!published.isEmpty()) outage.end();
    return markPublished(conn, published)
        .compose(marked -> refused.isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery("UPDATE spool SET attempts = attempts + 1 WHERE seq = ANY($1)")
                .execute(Tuple.of(refused.toArray(Long[]::new))).mapEmpty())
        .map(published.size());
  }

  private static Future<Void> markPublished(SqlConnection conn, List<Long> seqs) {
    if (seqs.isEmpty()) return Future.succeededFuture();
    return conn.preparedQuery("UPDATE spool SET published_at = now() WHERE seq = ANY($1)")
        .execute(Tuple.of(seqs.toArray(Long[]::new))).mapEmpty();
  }

  /** The row's event; once Kafka refused it {@link #MAX_ATTEMPTS} times, the same event for the dead-letter topic. */
  private Event event(Row row) {
    var event = new Event(row.getString("event_id"), row.getString("topic"), row.getString("record_key"), row.getString("ce_type"),
        Optional.ofNullable(row.getString("ce_subject")), row.getOffsetDateTime("ce_time").toInstant(), spool.value(row),
        Optional.ofNullable(row.getString("traceparent")), row.getUUID("application_id").toString(), Optional.empty());
    return row.getShort("attempts") >= MAX_ATTEMPTS ? event.undeliverable(Event.REFUSED_BY_KAFKA) : event;
  }

  /**
   * Published rows are kept a while (status reads, inspection), then deleted, a chunk per statement: after a long
   * outage one DELETE of everything would outlast the statement timeout and be cancelled on every pass.
   */
  private Future<Void> purge() {
    long now = System.currentTimeMillis();
    if (now - lastPurge < PURGE_EVERY.toMillis()) return Future.succeededFuture();
    lastPurge = now;
    return purgeChunk();
  }

  private Future<Void> purgeChunk() {
    return pool.preparedQuery("""
            DELETE FROM spool WHERE seq IN (SELECT seq FROM spool WHERE published_at < now() - make_interval(secs => $1)
            LIMIT $2)""")
        .execute(Tuple.of((double) retention.toSeconds(), PURGE_CHUNK))
        .compose(done -> done.rowCount() == PURGE_CHUNK && !stopped ? purgeChunk() : Future.<Void>succeededFuture());
  }

  /** Stops scheduling passes and waits for the current one: its transaction commits or rolls back, never half. */
  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) vertx.cancelTimer(timer);
    return current.transform(r -> Future.<Void>succeededFuture());
  }
}
