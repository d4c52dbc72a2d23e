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
 * grew, may not: each such topic is named in a warning and counted in {@code intake_kafka_topics_weak}.
 */
public final class TopicDurability {
  private static final Logger LOG = LoggerFactory.getLogger(TopicDurability.class);
  private final KafkaAdminClient admin;
  private volatile Set<String> weak = Set.of();

  public TopicDurability(KafkaAdminClient admin) { this.admin = admin; }

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
              int minIsr = minInsyncReplicas(configs, entry.getKey());
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

  private static int minInsyncReplicas(Map<ConfigResource, Config> configs, String topic) {
    return configs.entrySet().stream().filter(e -> e.getKey().getName().equals(topic)).findFirst()
        .flatMap(e -> e.getValue().getEntries().stream().filter(c -> c.getName().equals("min.insync.replicas")).findFirst())
        .map(c -> Integer.parseInt(c.getValue())).orElse(1);
  }
}
