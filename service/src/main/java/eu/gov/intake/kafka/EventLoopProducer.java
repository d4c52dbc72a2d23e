package eu.gov.intake.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.kafka.client.common.KafkaClientOptions;
import io.vertx.kafka.client.common.tracing.ProducerTracer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Kafka's own producer, called on the event loop: its send appends to a batch in memory and returns, and the
 * acknowledgement comes back to the caller's context. vertx-kafka-client ran every send on a worker thread (in
 * case the send blocks), then heard from the producer's I/O thread, then went back to the context: two more
 * hand-offs per application, and a tenth of Intake's CPU in thread wake-ups.
 *
 * <p>A send can block in two places: waiting for a topic's metadata, and waiting for room in the producer's
 * buffer. {@code max.block.ms} is 0 here (KafkaClients sets it, and nothing overrides it), so that instead the
 * send fails at once, before anything was appended, having asked for the metadata. Such a record waits here and
 * is tried again every {@link #RETRY} until {@link #WAIT_AT_MOST} (what {@code max.block.ms} was), off the event
 * loop's time. The records of a topic wait in order behind its first waiting one, so that an applicant's
 * applications still reach the partition in the order they were sent.
 */
public final class EventLoopProducer {
  static final Duration RETRY = Duration.ofMillis(10);
  static final Duration WAIT_AT_MOST = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final Producer<String, byte[]> producer;
  private final KafkaClientOptions tracingOptions;
  /** Per topic, the records waiting for its metadata or for buffer room, oldest first; under this object's lock. */
  private final Map<String, ArrayDeque<Waiting>> waiting = new HashMap<>();

  private record Waiting(ProducerRecord<String, byte[]> record, Context context, Promise<RecordMetadata> promise,
                         ProducerTracer<?>.StartedSpan span, long giveUpAt) {}

  EventLoopProducer(Vertx vertx, Producer<String, byte[]> producer, Map<String, String> properties) {
    this.vertx = vertx;
    this.producer = producer;
    this.tracingOptions = KafkaClientOptions.fromMap(new HashMap<>(properties), true);
  }

  /** Kafka's producer itself, for its metrics only: a send made on it directly would pass the waiting records. */
  public Producer<String, byte[]> unwrap() { return producer; }

  /** Completes on the caller's context once Kafka acknowledged the record (acks=all), or failed. */
  public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
    var context = vertx.getOrCreateContext();
    var tracer = ProducerTracer.create(((ContextInternal) context).tracer(), tracingOptions);
    // bound to the caller's context: it completes there, and a timeout set on it is a timer of that event loop
    // (on a future of no context, Vert.x schedules timeouts on Netty's global executor, a thread hand-off each)
    Promise<RecordMetadata> promise = ((ContextInternal) context).promise();
    var sending = new Waiting(record, context, promise, tracer == null ? null : tracer.prepareSendMessage(context, record),
        System.nanoTime() + WAIT_AT_MOST.toNanos());
    var refusedAtOnce = new ArrayList<Runnable>(0);
    synchronized (this) {
      var queue = waiting.get(record.topic());
      if (queue != null) queue.add(sending);            // behind the older ones of its topic
      else if (!trySend(sending, refusedAtOnce)) holdBack(sending);
    }
    refusedAtOnce.forEach(Runnable::run);               // outside the lock: what follows may spool, or send again
    return promise.future();
  }

  /**
   * False if the record could not be appended yet (no metadata, no buffer room): nothing was sent. A record
   * refused at once for good (too large, a closed producer) is completed by {@code refusedAtOnce}, for the
   * caller to run once it has let go of the lock.
   */
  private boolean trySend(Waiting w, List<Runnable> refusedAtOnce) {
    // Kafka calls back on this thread, before send returns, only for a record refused before it was appended;
    // every other answer comes from its I/O thread
    var caller = Thread.currentThread();
    boolean[] returned = {false};
    boolean[] notAppended = {false};
    try {
      producer.send(w.record(), (metadata, error) -> {
        boolean atOnce = Thread.currentThread() == caller && !returned[0];
        if (atOnce && error instanceof TimeoutException && System.nanoTime() < w.giveUpAt()) {
          notAppended[0] = true;
        } else if (atOnce) {
          refusedAtOnce.add(() -> complete(w, metadata, error));
        } else {
          complete(w, metadata, error);
        }
      });
    } catch (RuntimeException e) {                        // a closed producer, a record that cannot be serialized
      refusedAtOnce.add(() -> complete(w, null, e));
    }
    returned[0] = true;
    return !notAppended[0];
  }

  /** The first of its topic to wait: the topic's records queue behind it, tried again every RETRY. */
  private void holdBack(Waiting w) {
    waiting.computeIfAbsent(w.record().topic(), t -> new ArrayDeque<>()).add(w);
    vertx.setTimer(RETRY.toMillis(), t -> retry(w.record().topic()));
  }

  private void retry(String topic) {
    var refusedAtOnce = new ArrayList<Runnable>(0);
    synchronized (this) {
      var queue = waiting.get(topic);
      while (queue != null && !queue.isEmpty()) {
        if (!trySend(queue.peek(), refusedAtOnce)) {
          vertx.setTimer(RETRY.toMillis(), t -> retry(topic));
          break;
        }
        queue.poll();
      }
      if (queue != null && queue.isEmpty()) waiting.remove(topic);
    }
    refusedAtOnce.forEach(Runnable::run);
  }

  /** On Kafka's I/O thread; the promise hands the result over to its context. */
  private static void complete(Waiting w, RecordMetadata metadata, Exception error) {
    if (error == null) {
      if (w.span() != null) w.span().finish(w.context());
      w.promise().complete(metadata);
    } else {
      if (w.span() != null) w.span().fail(w.context(), error);
      w.promise().fail(error);
    }
  }

  /**
   * Fetches the topics' metadata, waiting without blocking: a send of a topic whose metadata is here never
   * waits. Fails if some are still missing after {@code bound}.
   */
  public Future<Void> fetchMetadata(Collection<String> topics, Duration bound) {
    long giveUpAt = System.nanoTime() + bound.toNanos();
    Promise<Void> done = Promise.promise();
    fetchMetadata(List.copyOf(topics), giveUpAt, done);
    return done.future();
  }

  private void fetchMetadata(List<String> topics, long giveUpAt, Promise<Void> done) {
    var missing = topics.stream().filter(topic -> {
      try {
        producer.partitionsFor(topic);                  // with max.block.ms 0: there, or asked for and absent
        return false;
      } catch (TimeoutException notYet) {
        return true;
      }
    }).toList();
    if (missing.isEmpty()) done.complete();
    else if (System.nanoTime() > giveUpAt) done.fail(new TimeoutException("no metadata for " + missing.size() + " topics"));
    else vertx.setTimer(RETRY.toMillis() * 5, t -> fetchMetadata(missing, giveUpAt, done));
  }

  /** Sends what is buffered now and waits for it (on a worker: Kafka's flush blocks). */
  public Future<Void> flush() {
    return vertx.executeBlocking(() -> {
      producer.flush();
      return null;
    }, false);
  }

  /** Flushes, then closes within the bound (on a worker). */
  public Future<Void> close(Duration bound) {
    return vertx.executeBlocking(() -> {
      producer.close(bound);
      return null;
    }, false);
  }
}
