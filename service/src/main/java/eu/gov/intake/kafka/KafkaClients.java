package eu.gov.intake.kafka;

import eu.gov.intake.config.KafkaSettings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.util.HashMap;
import java.util.Map;

/**
 * Every Kafka client Intake makes (the producer, the ledger consumer, the admin client; the example consumer of
 * the dev module too) is built here, so that a secured cluster needs its settings said once. Each client's
 * properties are, in this order, each layer over the one before: the caller's defaults (its tuning), the
 * {@code INTAKE_KAFKA_CLIENT_*} settings, those of its kind ({@code INTAKE_KAFKA_PRODUCER_*}, ...), and last what
 * Intake's promise rests on, which nothing overrides ({@code acks=all} and idempotence; the config refuses a
 * setting that tries). Kafka's own config providers ({@code config.providers=file}, {@code ${file:path:key}})
 * work in any layer, so no secret has to be a value here.
 */
public final class KafkaClients {
  private final Vertx vertx;
  private final KafkaSettings settings;

  public KafkaClients(Vertx vertx, KafkaSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  public KafkaSettings settings() { return settings; }

  /** The properties a producer gets; package-visible for the test of the layers. */
  Map<String, String> producerProperties(Map<String, String> defaults) {
    var props = layered(defaults, settings.producer());
    // A 202 promises durability: every in-sync replica has the record, and retries never duplicate it.
    props.put("acks", "all");
    props.put("enable.idempotence", "true");
    // never block the event loop that calls send: a record without metadata or buffer room waits in EventLoopProducer
    props.put("max.block.ms", "0");
    return props;
  }

  Map<String, String> consumerProperties(Map<String, String> defaults) {
    var props = layered(defaults, settings.consumer());
    // offsets are committed by the consumer's owner, after what it read is safe
    props.put("enable.auto.commit", "false");
    return props;
  }

  Map<String, String> adminProperties(Map<String, String> defaults) { return layered(defaults, settings.admin()); }

  /** A producer whose sends are made on the event loop (see {@link EventLoopProducer}); one per process is enough. */
  public EventLoopProducer producer(Map<String, String> defaults) {
    var props = producerProperties(defaults);
    return new EventLoopProducer(vertx, new org.apache.kafka.clients.producer.KafkaProducer<>(new HashMap<String, Object>(props),
        new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer()), props);
  }

  public KafkaConsumer<String, Buffer> consumer(Map<String, String> defaults) {
    return KafkaConsumer.create(vertx, consumerProperties(defaults), String.class, Buffer.class);
  }

  public KafkaAdminClient admin(Map<String, String> defaults) {
    return KafkaAdminClient.create(vertx, adminProperties(defaults));
  }

  private Map<String, String> layered(Map<String, String> defaults, Map<String, String> ofItsKind) {
    var props = new HashMap<>(defaults);
    props.putAll(settings.client());
    props.putAll(ofItsKind);
    props.put("bootstrap.servers", settings.bootstrap().orElseThrow());
    return props;
  }
}
