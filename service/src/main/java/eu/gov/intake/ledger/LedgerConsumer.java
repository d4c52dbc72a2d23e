package eu.gov.intake.ledger;

import eu.gov.intake.kafka.KafkaClients;
import eu.gov.intake.metrics.IntakeMeters;
import eu.gov.intake.publish.Event;
import eu.gov.intake.publish.Publisher;
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
 *
 * <p>A status change is recorded by the status API itself, with its event in the same transaction, so the
 * consumer writes nothing for {@code intake.status}: it checks that each record there is one the API made, and
 * sends any other (forged by whoever can write to the topic, or malformed) to the dead-letter topic before it
 * commits past it. No record can stop the ledger.
 */
public final class LedgerConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerConsumer.class);
  // the dead-letter topic holds accepted applications too (their department topic was missing): the ledger has them
  static final Pattern TOPICS = Pattern.compile("intake\\.applications\\..+|" + Pattern.quote(Topics.STATUS) + "|"
      + Pattern.quote(Topics.DEAD_LETTER));

  private final Vertx vertx;
  private final KafkaConsumer<String, Buffer> consumer;
  private final LedgerStore store;
  private final Publisher deadLetters;
  private final IntakeMeters meters;
  private final AtomicLong lag = new AtomicLong();
  private volatile boolean stopped;
  private boolean started;
  private final io.vertx.core.Promise<Void> stoppedLooping = io.vertx.core.Promise.promise();
  private long lagTimer = -1;

  public LedgerConsumer(Vertx vertx, KafkaClients kafka, String group, LedgerStore store, Publisher deadLetters, IntakeMeters meters) {
    this.vertx = vertx;
    this.store = store;
    this.deadLetters = deadLetters;
    this.meters = meters;
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

  /** A status record as read, and what it says. */
  private record Change(KafkaConsumerRecord<String, Buffer> record, LedgerStore.StatusChanged change) {}

  private Future<Void> write(KafkaConsumerRecords<String, Buffer> records) {
    var submitted = new ArrayList<LedgerStore.Submitted>();
    var changes = new ArrayList<Change>();
    var rejected = new ArrayList<Event>();
    var first = new HashMap<TopicPartition, Long>();
    var next = new HashMap<TopicPartition, OffsetAndMetadata>();
    for (int i = 0; i < records.size(); i++) {
      var record = records.recordAt(i);
      var partition = new TopicPartition(record.topic(), record.partition());
      first.putIfAbsent(partition, record.offset());
      next.put(partition, new OffsetAndMetadata(record.offset() + 1, null));
      if (record.topic().equals(Topics.STATUS)) {
        try {
          changes.add(new Change(record, LedgerStore.StatusChanged.of(header(record, "ce_id"), new JsonObject(record.value()))));
        } catch (RuntimeException e) {
          rejected.add(rejected(record, MALFORMED));
        }
        continue;
      }
      // the dead-letter topic also holds what this consumer rejected: only undeliverable applications are the ledger's
      if (record.topic().equals(Topics.DEAD_LETTER) && !Event.UNDELIVERABLE.equals(headerOrNull(record, "ce_type"))) continue;
      try {
        submitted.add(LedgerStore.Submitted.of(record.value()));
      } catch (RuntimeException | java.io.IOException e) {
        // not ours, or not readable: recorded nowhere, and it must not stop the ledger
        LOG.warn("ledger: skipped unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
            e.getClass().getSimpleName());
      }
    }
    // only the partitions this poll wrote: a commit of every position would fail, and hold the ledger, while a
    // deleted department topic is still assigned
    return store.record(submitted)
        .compose(recorded -> store.madeByStatusApi(changes.stream().map(Change::change).toList()))
        .compose(made -> {
          for (var c : changes) if (!made.contains(c.change().eventId())) rejected.add(rejected(c.record(), NOT_FROM_INTAKE));
          return deadLetter(rejected);
        })
        .compose(deadLettered -> consumer.commit(next).<Void>mapEmpty())
        .recover(e -> rewind(first).transform(r -> Future.failedFuture(e)));
  }

  private static final String MALFORMED = "malformed";
  private static final String NOT_FROM_INTAKE = "not-from-intake";
  /**
   * A status change is a few KB at most (a note is 2,000 characters). A bigger record is dead-lettered without its
   * value: with the headers added, a record near the broker's limit could be refused on the dead-letter topic, and
   * the ledger would rewind to it for ever.
   */
  private static final int MAX_KEPT_VALUE = 64 * 1024;

  private static Event rejected(KafkaConsumerRecord<String, Buffer> record, String reason) {
    String id = headerOrNull(record, "ce_id");
    // whoever wrote the record chose its ce_id: kept short and on one line, in the log and the event
    String shown = id == null || id.length() > 100 || id.chars().anyMatch(Character::isISOControl)
        ? record.topic() + "-" + record.partition() + "@" + record.offset() : id;
    Buffer value = record.value() == null || record.value().length() > MAX_KEPT_VALUE ? Buffer.buffer() : record.value();
    return Event.statusRejected(shown, record.key(), reason, java.time.Instant.now(), value);
  }

  /** Acknowledged by Kafka before the offsets move past them; a failure rewinds the poll, and they go again. */
  private Future<Void> deadLetter(List<Event> rejected) {
    if (rejected.isEmpty()) return Future.succeededFuture();
    return Future.all(rejected.stream().map(deadLetters::publish).toList())
        .onSuccess(sent -> rejected.forEach(event -> {
          meters.ledgerRejected(event.reason().orElseThrow());
          // the ce_id and why, never the content (it may carry a note with personal data)
          LOG.warn("ledger: rejected record {} on {} to {}: {}", event.id(), Topics.STATUS, Topics.DEAD_LETTER, event.reason().orElseThrow());
        }))
        .mapEmpty();
  }

  private Future<Void> rewind(Map<TopicPartition, Long> first) {
    return Future.join(first.entrySet().stream().map(p -> consumer.seek(p.getKey(), p.getValue())).toList()).mapEmpty();
  }

  private static String header(KafkaConsumerRecord<String, Buffer> record, String name) {
    String value = headerOrNull(record, name);
    if (value == null) throw new IllegalArgumentException("no " + name + " header");
    return value;
  }

  private static String headerOrNull(KafkaConsumerRecord<String, Buffer> record, String name) {
    return record.headers().stream().filter(h -> h.key().equals(name)).map(h -> h.value().toString(StandardCharsets.UTF_8))
        .findFirst().orElse(null);
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
