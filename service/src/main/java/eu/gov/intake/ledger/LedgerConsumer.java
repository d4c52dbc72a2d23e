package eu.gov.intake.ledger;

import eu.gov.intake.kafka.KafkaClients;
import eu.gov.intake.publish.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's consumer group: reads every department topic (a pattern, so a new department's topic is
 * picked up) and {@code intake.status}, writes what it read to PostgreSQL in one transaction per poll, and
 * commits the offsets only after that transaction did. A failed write rewinds to the first record of the
 * poll, so nothing is skipped; the writes are idempotent, so nothing is recorded twice.
 */
public final class LedgerConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerConsumer.class);
  // the dead-letter topic holds accepted applications too (their department topic was missing): the ledger has them
  static final Pattern TOPICS = Pattern.compile("intake\\.applications\\..+|" + Pattern.quote(Topics.STATUS) + "|"
      + Pattern.quote(Topics.DEAD_LETTER));

  private final Vertx vertx;
  private final KafkaConsumer<String, Buffer> consumer;
  private final LedgerStore store;
  private final AtomicLong lag = new AtomicLong();
  private volatile boolean stopped;
  private boolean started;
  private final io.vertx.core.Promise<Void> stoppedLooping = io.vertx.core.Promise.promise();
  private long lagTimer = -1;

  public LedgerConsumer(Vertx vertx, KafkaClients kafka, String group, LedgerStore store) {
    this.vertx = vertx;
    this.store = store;
    var config = new HashMap<String, String>();
    config.put("group.id", group);
    config.put("client.id", "intake-ledger");
    config.put("auto.offset.reset", "earliest");
    config.put("max.poll.records", "1000");
    // fewer, fuller polls: each one is a PostgreSQL transaction and an offset commit, and a quarter second
    // more of ledger lag costs nothing (status reads fall back to the spool and the Redis note meanwhile)
    config.put("fetch.min.bytes", "65536");
    config.put("fetch.max.wait.ms", "250");
    // how soon a new department's topic matches the pattern
    config.put("metadata.max.age.ms", "10000");
    this.consumer = kafka.consumer(config);
  }

  public Future<Void> start() {
    started = true;
    lagTimer = vertx.setPeriodic(5000, t -> measureLag());
    return consumer.subscribe(TOPICS).onSuccess(v -> next());
  }

  /** One poll and its write at a time; each schedules the next (no future chain grows while it runs). */
  private void next() {
    if (stopped) {
      stoppedLooping.tryComplete();
      return;
    }
    consumer.poll(Duration.ofMillis(500))
        .compose(records -> records.isEmpty() ? Future.<Void>succeededFuture() : write(records))
        .onComplete(r -> {
          if (r.succeeded()) {
            next();
          } else {
            LOG.warn("ledger: {}; retrying in 1 s", r.cause().toString());
            vertx.setTimer(1000, t -> next());
          }
        });
  }

  private Future<Void> write(KafkaConsumerRecords<String, Buffer> records) {
    var submitted = new ArrayList<LedgerStore.Submitted>();
    var changes = new ArrayList<LedgerStore.StatusChanged>();
    var first = new HashMap<TopicPartition, Long>();
    var next = new HashMap<TopicPartition, OffsetAndMetadata>();
    for (int i = 0; i < records.size(); i++) {
      var record = records.recordAt(i);
      var partition = new TopicPartition(record.topic(), record.partition());
      first.putIfAbsent(partition, record.offset());
      next.put(partition, new OffsetAndMetadata(record.offset() + 1, null));
      try {
        if (record.topic().equals(Topics.STATUS)) {
          changes.add(LedgerStore.StatusChanged.of(header(record, "ce_id"), new JsonObject(record.value())));
        } else {
          submitted.add(LedgerStore.Submitted.of(record.value()));
        }
      } catch (RuntimeException | java.io.IOException e) {
        // not ours, or not readable: recorded nowhere, and it must not stop the ledger
        LOG.warn("ledger: skipped unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
            e.getClass().getSimpleName());
      }
    }
    // only the partitions this poll wrote: a commit of every position would fail, and hold the ledger, while a
    // deleted department topic is still assigned
    return store.record(submitted, changes)
        .compose(applied -> consumer.commit(next).<Void>mapEmpty())
        .recover(e -> rewind(first).transform(r -> Future.failedFuture(e)));
  }

  private Future<Void> rewind(Map<TopicPartition, Long> first) {
    return Future.join(first.entrySet().stream().map(p -> consumer.seek(p.getKey(), p.getValue())).toList()).mapEmpty();
  }

  private static String header(KafkaConsumerRecord<String, Buffer> record, String name) {
    return record.headers().stream().filter(h -> h.key().equals(name)).map(h -> h.value().toString(StandardCharsets.UTF_8))
        .findFirst().orElseThrow(() -> new IllegalArgumentException("no " + name + " header"));
  }

  /** Records on the ledger's partitions not yet written to PostgreSQL. */
  public long lag() { return lag.get(); }

  private void measureLag() {
    consumer.assignment().compose(assigned -> assigned.isEmpty() ? Future.succeededFuture(0L)
            : consumer.endOffsets(assigned).compose(ends -> Future.all(List.copyOf(assigned).stream()
                    .map(tp -> consumer.position(tp).map(pos -> Math.max(0, ends.getOrDefault(tp, pos) - pos))).toList())
                .map(all -> all.<Long>list().stream().mapToLong(Long::longValue).sum())))
        .onSuccess(lag::set);
  }

  /** Finishes the poll in hand (its transaction and commit), then leaves the group. */
  public Future<Void> stop() {
    stopped = true;
    if (lagTimer >= 0) vertx.cancelTimer(lagTimer);
    if (!started) return consumer.close();
    return stoppedLooping.future().timeout(10, java.util.concurrent.TimeUnit.SECONDS).transform(r -> consumer.close());
  }
}
