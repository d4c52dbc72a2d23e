package eu.gov.intake.publish;

import eu.gov.intake.config.KafkaSettings.TopicSettings;
import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the department topics (and the shared ones) that do not exist yet, with settings that keep acks=all durable. */
public final class Topics {
  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);
  public static final String STATUS = "intake.status";
  public static final String DEAD_LETTER = "intake.dead-letter";
  /** The shared topics: without them neither status changes nor undeliverable applications have a place. */
  public static final List<String> SHARED = List.of(STATUS, DEAD_LETTER);

  private Topics() {}

  /**
   * {@code replication} -1 means three replicas, or one per broker on a smaller cluster (one in dev mode). With
   * three or more, {@code min.insync.replicas} is 2, so an acknowledged record is on two brokers at least; with
   * fewer it can only be 1, and the warning says what that costs.
   */
  public static Future<Void> ensure(KafkaAdminClient admin, Collection<String> departmentTopics, TopicSettings settings) {
    var wanted = new java.util.TreeSet<>(departmentTopics);
    wanted.addAll(SHARED);
    Future<Short> factor = settings.replication() > 0 ? Future.succeededFuture(settings.replication())
        : admin.describeCluster().map(cluster -> (short) Math.min(3, cluster.getNodes().size()));
    return factor.compose(rf -> admin.listTopics().compose(existing -> {
      var config = topicConfig(rf, settings);
      List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t))
          .map(t -> new NewTopic(t, settings.partitions(), rf).setConfig(config)).toList();
      if (missing.isEmpty()) return Future.succeededFuture();
      if (rf < 3) {
        LOG.warn("creating {} topics with replication factor {} and min.insync.replicas 1: an acknowledged application is on "
            + "one broker only until it is replicated, and lost with that broker's disk (use 3 brokers or more in production)",
            missing.size(), rf);
      } else {
        LOG.info("creating {} topics (replication factor {}, min.insync.replicas 2)", missing.size(), rf);
      }
      return admin.createTopics(missing)
          // Another instance may have created some of them in the meantime: check again rather than fail.
          .recover(e -> admin.listTopics().compose(now -> now.containsAll(wanted) ? Future.succeededFuture()
              : Future.failedFuture(e)));
    }));
  }

  static Map<String, String> topicConfig(short replication, TopicSettings settings) {
    var config = new HashMap<String, String>();
    config.put("min.insync.replicas", replication >= 3 ? "2" : "1");
    settings.retention().ifPresent(r -> config.put("retention.ms", Long.toString(r.toMillis())));
    return config;
  }
}
