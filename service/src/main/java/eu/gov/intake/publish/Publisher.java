package eu.gov.intake.publish;

import eu.gov.intake.config.IntakeConfig;
import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.DependencyUnavailable.Dependency;
import eu.gov.intake.metrics.IntakeMeters;
import eu.gov.intake.tracing.Tracing;
import io.vertx.core.Future;
import eu.gov.intake.kafka.KafkaClients;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.util.Map;

/**
 * Publishes accepted applications to their department's topic through one producer shared by the whole
 * process, as CloudEvents in Kafka binary mode (contract section 5).
 */
public final class Publisher {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Publisher.class);
  private final KafkaProducer<String, Buffer> producer;
  private final ApplicantKey applicantKey;
  private final String source;
  private final IntakeMeters meters;

  public Publisher(KafkaClients kafka, IntakeConfig config, IntakeMeters meters) {
    this.meters = meters;
    this.producer = kafka.sharedProducer("intake", TUNING);
    // each send's own future carries its failure; without this the stream would also report it as unhandled
    producer.exceptionHandler(e -> LOG.debug("producer: {}", e.toString()));
    this.applicantKey = new ApplicantKey(config.applicantKeySecret());
    this.source = config.eventSource();
  }

  /** The producer's tuning; INTAKE_KAFKA_CLIENT_* and INTAKE_KAFKA_PRODUCER_* go over it (acks and idempotence cannot). */
  static final Map<String, String> TUNING = Map.of(
      "client.id", "intake",
      "max.in.flight.requests.per.connection", "5",
      "linger.ms", "5",
      "compression.type", "lz4",
      // send() may block this long for metadata; it runs on a worker thread of vertx-kafka-client, never on
      // an event loop, and a short bound turns a dead broker into a quick 503 instead of a pile-up.
      "max.block.ms", "5000",
      // Longer than the HTTP deadline (10 s) on purpose: a send the client gave up on may still land in Kafka.
      // The client's retry with the same Idempotency-Key then republishes with the same applicationId (ce_id),
      // so consumers see a twin they can drop, never two different applications.
      "request.timeout.ms", "5000",
      "delivery.timeout.ms", "30000");

  /** Completes once Kafka acknowledged the record with acks=all; fails with DependencyUnavailable otherwise. */
  public Future<RecordMetadata> publish(Event event) {
    var record = KafkaProducerRecord.create(event.topic(), event.key(), event.value())
        .addHeader("ce_specversion", "1.0")
        .addHeader("ce_id", event.id())
        .addHeader("ce_source", source)
        .addHeader("ce_type", event.type())
        .addHeader("ce_time", event.time().toString())
        .addHeader("content-type", "application/json");
    event.subject().ifPresent(subject -> record.addHeader("ce_subject", subject));
    // with tracing on, Vert.x writes the producer span's traceparent (a child in the client's trace); a second
    // header of the same name would leave consumers to guess which one to continue
    if (Tracing.currentTraceId().isEmpty()) event.traceparent().ifPresent(tp -> record.addHeader("traceparent", tp));
    long started = System.nanoTime();
    return producer.send(record)
        .onComplete(r -> meters.published(r.succeeded(), System.nanoTime() - started))
        .onSuccess(acked -> {
          if (event.type().equals(Event.UNDELIVERABLE)) {
            meters.deadLettered();
            LOG.atWarn().setMessage("application {} ({}) went to {}: its department topic does not exist")
                .addArgument(event.applicationId()).addArgument(event.subject().orElse("-")).addArgument(event.topic())
                .addKeyValue("traceId", event.traceparent().flatMap(Tracing::traceIdOf).orElse(null)).log();
          }
        })
        .recover(e -> Future.failedFuture(new DependencyUnavailable(Dependency.KAFKA, e)));
  }

  /**
   * Fetches the topics' metadata now, so that the first submissions after a start (a deploy in a deadline
   * burst) do not wait for it inside their publish timeout. Never fails: a topic it misses is fetched on
   * its first send, as without it.
   */
  public Future<Void> warmUp(java.util.Collection<String> topics) {
    long started = System.nanoTime();
    return Future.join(topics.stream().map(producer::partitionsFor).toList())
        .timeout(10, java.util.concurrent.TimeUnit.SECONDS)
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

  /** Flushes and closes; after the relay and the status API stopped using it. */
  public Future<Void> close() {
    return producer.flush().eventually(() -> producer.close());
  }
}
