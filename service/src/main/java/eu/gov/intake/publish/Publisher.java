package eu.gov.intake.publish;

import eu.gov.intake.config.IntakeConfig;
import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.DependencyUnavailable.Dependency;
import eu.gov.intake.metrics.IntakeMeters;
import eu.gov.intake.tracing.Tracing;
import eu.gov.intake.kafka.EventLoopProducer;
import eu.gov.intake.kafka.KafkaClients;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes accepted applications to their department's topic through one producer shared by the whole
 * process, as CloudEvents in Kafka binary mode (contract section 5).
 */
public final class Publisher {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Publisher.class);
  private final EventLoopProducer producer;
  private final ApplicantKey applicantKey;
  private final String source;
  private final IntakeMeters meters;

  public Publisher(KafkaClients kafka, IntakeConfig config, IntakeMeters meters) {
    this.meters = meters;
    this.producer = kafka.producer(TUNING);
    this.applicantKey = new ApplicantKey(config.applicantKeySecret());
    this.source = config.eventSource();
  }

  /** The producer's tuning; INTAKE_KAFKA_CLIENT_* and INTAKE_KAFKA_PRODUCER_* go over it (acks and idempotence cannot). */
  static final Map<String, String> TUNING = Map.of(
      "client.id", "intake",
      "max.in.flight.requests.per.connection", "5",
      "linger.ms", "5",
      "compression.type", "lz4",
      // Longer than the HTTP deadline (10 s) on purpose: a send the client gave up on may still land in Kafka.
      // The client's retry with the same Idempotency-Key then republishes with the same applicationId (ce_id),
      // so consumers see a twin they can drop, never two different applications.
      "request.timeout.ms", "5000",
      "delivery.timeout.ms", "30000");

  /** Completes once Kafka acknowledged the record with acks=all; fails with DependencyUnavailable otherwise. */
  public Future<RecordMetadata> publish(Event event) {
    var record = new ProducerRecord<String, byte[]>(event.topic(), event.key(), event.value().getBytes());
    header(record, "ce_specversion", "1.0");
    header(record, "ce_id", event.id());
    header(record, "ce_source", source);
    header(record, "ce_type", event.type());
    header(record, "ce_time", event.time().toString());
    header(record, "content-type", "application/json");
    event.subject().ifPresent(subject -> header(record, "ce_subject", subject));
    event.reason().ifPresent(reason -> header(record, "ce_intakereason", reason));
    // with tracing on, Vert.x writes the producer span's traceparent (a child in the client's trace); a second
    // header of the same name would leave consumers to guess which one to continue
    if (Tracing.currentTraceId().isEmpty()) event.traceparent().ifPresent(tp -> header(record, "traceparent", tp));
    long started = System.nanoTime();
    return producer.send(record)
        .onComplete(r -> meters.published(r.succeeded(), System.nanoTime() - started))
        .onSuccess(acked -> {
          if (event.type().equals(Event.UNDELIVERABLE)) {
            String why = event.reason().orElse(Event.TOPIC_MISSING);
            meters.deadLettered(why);
            LOG.atWarn().setMessage("application {} ({}) went to {}: {}")
                .addArgument(event.applicationId()).addArgument(event.subject().orElse("-")).addArgument(event.topic())
                .addArgument(why.equals(Event.TOPIC_MISSING) ? "its department topic does not exist"
                    : "Kafka refused it " + Relay.MAX_ATTEMPTS + " times (too large for the topic, or invalid)")
                .addKeyValue("traceId", event.traceparent().flatMap(Tracing::traceIdOf).orElse(null)).log();
          }
        })
        .recover(e -> Future.failedFuture(new DependencyUnavailable(Dependency.KAFKA, e)));
  }

  /**
   * Whether Kafka refused the record itself (too large for the producer, the topic or the broker; invalid), which
   * sending it again cannot change; anything else (unreachable, timed out, not enough replicas) may pass.
   */
  public static boolean refused(Throwable failure) {
    return refusal(failure) != null;
  }

  /** The refusal's exception name, or null if {@code failure} is none (see {@link #refused}). */
  static String refusal(Throwable failure) {
    for (Throwable e = failure; e != null; e = e.getCause()) {
      if (e instanceof org.apache.kafka.common.errors.RecordTooLargeException
          || e instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException
          || e instanceof org.apache.kafka.common.InvalidRecordException) {
        return e.getClass().getSimpleName();
      }
      if (e.getCause() == e) break;
    }
    return null;
  }

  private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
    record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Fetches the topics' metadata now, so that the first submissions after a start (a deploy in a deadline
   * burst) do not wait for it inside their publish timeout. Never fails: a topic it misses is fetched on
   * its first send, as without it.
   */
  public Future<Void> warmUp(java.util.Collection<String> topics) {
    long started = System.nanoTime();
    return producer.fetchMetadata(topics, Duration.ofSeconds(10))
        .transform(r -> {
          if (r.succeeded()) LOG.info("producer metadata for {} topics in {} ms", topics.size(), (System.nanoTime() - started) / 1_000_000);
          else LOG.warn("producer metadata not fetched at start ({}); the first sends fetch it", r.cause().toString());
          return Future.succeededFuture();
        });
  }

  /** The producer's own metrics; closed by the caller when the producer is. */
  public AutoCloseable instrument() { return meters.producer(producer.unwrap()); }

  /** The Kafka key of an applicant's applications (see {@link ApplicantKey}). */
  public String applicantKey(String applicantType, String applicantId) {
    return applicantKey.of(applicantType, applicantId);
  }

  /** Sends what is buffered now; on shutdown, after the last request was answered. */
  public Future<Void> flush() { return producer.flush(); }

  /** Flushes and closes within the bound; after the relay and the status API stopped using it. */
  public Future<Void> close(Duration bound) {
    return producer.close(bound);
  }
}
