package eu.gov.intake.publish;

import io.vertx.core.Future;
import io.vertx.kafka.admin.Config;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.common.ConfigResource;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigResource.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the topics Intake writes to can keep {@code acks=all} durable: an acknowledged record must be on two
 * brokers at least, so a topic needs {@code min.insync.replicas} >= 2 and more replicas than that (else one broker
 * down stops every write). Topics made elsewhere ({@code INTAKE_KAFKA_CREATE_TOPICS=false}), or before a cluster
 * grew, may not: each such topic is named in a warning and counted in {@code intake_kafka_topics_weak}. A topic
 * whose {@code max.message.bytes} is below the producer's {@code max.request.size} is named too: Kafka refuses the
 * largest applications there, and the relay dead-letters them after its attempts; below the producer's
 * {@code batch.size} (16 KiB) Kafka's producer may split a refused batch for ever (KAFKA-8350), so it is warned of.
 */
public final class TopicDurability {
  private static final Logger LOG = LoggerFactory.getLogger(TopicDurability.class);
  private static final int BATCH_SIZE = 16_384;
  private final KafkaAdminClient admin;
  private final int maxRequestSize;
  private volatile Set<String> weak = Set.of();

  /** {@code maxRequestSize}: the producer's, the largest record Intake may send. */
  public TopicDurability(KafkaAdminClient admin, int maxRequestSize) {
    this.admin = admin;
    this.maxRequestSize = maxRequestSize;
  }

  /** The topics found weak by the last check. */
  public Set<String> weak() { return weak; }

  /** Describes the topics that exist among these; completes with the weak ones, or fails if Kafka could not tell. */
  public Future<Set<String>> check(Collection<String> topics) {
    return admin.listTopics().compose(existing -> {
      var present = topics.stream().filter(existing::contains).distinct().toList();
      if (present.isEmpty()) return Future.succeededFuture(Set.<String>of());
      return admin.describeTopics(present).compose(descriptions -> admin.describeConfigs(
              present.stream().map(t -> new ConfigResource(Type.TOPIC, t)).toList())
          .map(configs -> {
            var found = new TreeSet<String>();
            for (var entry : descriptions.entrySet()) {
              int replicas = entry.getValue().getPartitions().stream().mapToInt(p -> p.getReplicas().size()).min().orElse(0);
              int minIsr = setting(configs, entry.getKey(), "min.insync.replicas").orElse(1);
              setting(configs, entry.getKey(), "max.message.bytes").filter(max -> max < maxRequestSize).ifPresent(max ->
                  LOG.warn("topic {} takes records of at most {} bytes (max.message.bytes), less than the producer's max.request.size "
                      + "{}: larger applications are dead-lettered{}", entry.getKey(), max, maxRequestSize,
                      max < BATCH_SIZE ? ", and below 16384 (batch.size) Kafka's producer may retry a refused batch for ever" : ""));
              if (minIsr < 2 || replicas <= minIsr) {
                found.add(entry.getKey());
                LOG.warn("topic {} cannot keep acks=all durable: replication factor {}, min.insync.replicas {} (want >= 3 and 2): {}",
                    entry.getKey(), replicas, minIsr, minIsr < 2 ? "an acknowledged application may be on one broker only"
                        : "one broker down stops every write to it");
              }
            }
            return (Set<String>) found;
          }));
    }).onSuccess(found -> weak = Set.copyOf(found));
  }

  private static java.util.Optional<Integer> setting(Map<ConfigResource, Config> configs, String topic, String name) {
    return configs.entrySet().stream().filter(e -> e.getKey().getName().equals(topic)).findFirst()
        .flatMap(e -> e.getValue().getEntries().stream().filter(c -> c.getName().equals(name)).findFirst())
        .map(c -> Integer.parseInt(c.getValue()));
  }
}
