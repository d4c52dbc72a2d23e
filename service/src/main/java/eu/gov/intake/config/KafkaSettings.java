package eu.gov.intake.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Kafka as Intake reaches it: the bootstrap list; the properties every client gets ({@code INTAKE_KAFKA_CLIENT_*}:
 * security protocol, SASL, TLS stores, rack, config providers) and, on top, those of one kind of client
 * ({@code INTAKE_KAFKA_PRODUCER_*}, {@code _CONSUMER_*}, {@code _ADMIN_*}); and the topics Intake makes. The
 * values may hold credentials ({@code sasl.jaas.config}), so {@link #toString()} names the keys only.
 */
public record KafkaSettings(Optional<String> bootstrap, Map<String, String> client, Map<String, String> producer,
                            Map<String, String> consumer, Map<String, String> admin, TopicSettings topics) {

  /**
   * The topics Intake creates ({@code create}: false where they are managed elsewhere), and what a topic that
   * cannot keep {@code acks=all} durable does at start: a warning and a metric, or ({@code refuseWeak}) a refusal.
   */
  public record TopicSettings(int partitions, short replication, Optional<Duration> retention, boolean create, boolean refuseWeak) {}

  /** Kafka's producer default for {@code max.request.size}. */
  static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;
  /**
   * What an event adds to the application as sent: its facts (ids, times, channel, client), the CloudEvents headers
   * and the record batch's framing; generously rounded up.
   */
  public static final int EVENT_OVERHEAD = 16_384;

  /**
   * The largest application the producer will take, as sent: {@code max.request.size} (producer, else client, else
   * Kafka's default) less {@link #EVENT_OVERHEAD}. A body limit above it would accept what Kafka refuses.
   */
  public int largestApplication() { return Math.max(0, maxRequestSize() - EVENT_OVERHEAD); }

  /** The producer's {@code max.request.size}: its own setting, else the clients', else Kafka's default. */
  public int maxRequestSize() {
    String size = producer.getOrDefault("max.request.size", client.get("max.request.size"));
    if (size == null) return DEFAULT_MAX_REQUEST_SIZE;
    try {
      return Integer.parseInt(size.strip());
    } catch (NumberFormatException e) {
      return DEFAULT_MAX_REQUEST_SIZE;   // Kafka refuses it when the producer is made, with its own message
    }
  }

  public KafkaSettings withBootstrap(String servers) {
    return new KafkaSettings(Optional.of(servers), client, producer, consumer, admin, topics);
  }

  @Override public String toString() {
    return "kafka=" + bootstrap.orElse("(dev)") + " client" + client.keySet() + " producer" + producer.keySet()
        + " consumer" + consumer.keySet() + " admin" + admin.keySet();
  }

  static KafkaSettings read(EnvReader in) {
    var client = in.passthrough("KAFKA_CLIENT_");
    var producer = in.passthrough("KAFKA_PRODUCER_");
    var consumer = in.passthrough("KAFKA_CONSUMER_");
    var admin = in.passthrough("KAFKA_ADMIN_");
    // The promise of a 202 rests on these: a setting that weakens them stops the start rather than the promise.
    for (var group : Map.of("KAFKA_CLIENT_", client, "KAFKA_PRODUCER_", producer).entrySet()) {
      var props = group.getValue();
      in.require(!props.containsKey("acks") || props.get("acks").strip().equals("all") || props.get("acks").strip().equals("-1"),
          group.getKey() + "ACKS", "is refused: a 202 means every in-sync replica has the application (acks=all)");
      in.require(!props.containsKey("enable.idempotence") || props.get("enable.idempotence").strip().equalsIgnoreCase("true"),
          group.getKey() + "ENABLE_IDEMPOTENCE", "is refused: without idempotence a producer retry can write an application twice");
      in.require(!props.containsKey("max.block.ms"), group.getKey() + "MAX_BLOCK_MS",
          "is refused: sends are made on the event loop and must never block it (a record waits for metadata in Intake instead)");
    }
    for (var group : Map.of("KAFKA_CLIENT_", client, "KAFKA_CONSUMER_", consumer).entrySet()) {
      var props = group.getValue();
      in.require(!props.containsKey("enable.auto.commit") || props.get("enable.auto.commit").strip().equalsIgnoreCase("false"),
          group.getKey() + "ENABLE_AUTO_COMMIT", "is refused: the ledger commits its offsets only after its transaction");
    }
    for (var group : Map.of("KAFKA_CLIENT_", client, "KAFKA_PRODUCER_", producer, "KAFKA_CONSUMER_", consumer, "KAFKA_ADMIN_", admin).entrySet()) {
      in.require(!group.getValue().containsKey("bootstrap.servers"), group.getKey() + "BOOTSTRAP_SERVERS", "use INTAKE_KAFKA_BOOTSTRAP");
    }
    var topics = new TopicSettings(in.integer("KAFKA_TOPIC_PARTITIONS", 6, 1, 1000),
        (short) in.integer("KAFKA_TOPIC_REPLICATION", -1, -1, 16), in.optionalDuration("KAFKA_TOPIC_RETENTION"),
        in.bool("KAFKA_CREATE_TOPICS", true), in.word("KAFKA_WEAK_TOPICS", "warn", java.util.List.of("warn", "refuse")).equals("refuse"));
    return new KafkaSettings(in.optional("KAFKA_BOOTSTRAP"), client, producer, consumer, admin, topics);
  }
}
