package eu.gov.intake.publish;

import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the department topics (and the shared ones) that do not exist yet. */
public final class Topics {
  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);
  public static final String STATUS = "intake.status";
  public static final String DEAD_LETTER = "intake.dead-letter";

  private Topics() {}

  /** {@code replication} -1 means three replicas, or one per broker on a smaller cluster (one in dev mode). */
  public static Future<Void> ensure(KafkaAdminClient admin, Collection<String> departmentTopics, int partitions, short replication) {
    var wanted = new java.util.TreeSet<>(departmentTopics);
    wanted.addAll(List.of(STATUS, DEAD_LETTER));
    Future<Short> factor = replication > 0 ? Future.succeededFuture(replication)
        : admin.describeCluster().map(cluster -> (short) Math.min(3, cluster.getNodes().size()));
    return factor.compose(rf -> admin.listTopics().compose(existing -> {
      List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t))
          .map(t -> new NewTopic(t, partitions, rf).setConfig(java.util.Map.of())).toList();
      if (missing.isEmpty()) return Future.succeededFuture();
      LOG.info("creating {} topics", missing.size());
      return admin.createTopics(missing)
          // Another instance may have created some of them in the meantime: check again rather than fail.
          .recover(e -> admin.listTopics().compose(now -> now.containsAll(wanted) ? Future.succeededFuture()
              : Future.failedFuture(e)));
    }));
  }

}
