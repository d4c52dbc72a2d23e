package eu.gov.intake.redis;

import eu.gov.intake.config.RedisSettings;
import eu.gov.intake.config.Secret;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;

/**
 * Every Redis client Intake opens (the service's pool and its health check's) is built here: standalone, the
 * master behind Sentinel (followed through a failover), or a Redis Cluster; over TLS with the host name verified
 * when the URLs are {@code rediss://}; as the ACL user of the settings.
 */
public final class RedisClients {
  private RedisClients() {}

  /**
   * Commands over {@code connections} connections held open per event loop (in a cluster, each one a connection to
   * every node), see {@link HeldConnections}.
   */
  public static Redis client(Vertx vertx, RedisSettings settings, int connections, int poolWaiting, String name) {
    // room for every event loop that may send (only those that do open theirs: IntakeApp builds Vert.x with the
    // default number of event loops), callers off the event loops, and one to spare for the cluster client's slot map
    int pool = connections * (io.vertx.core.VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE + 1) + 1;
    // Vert.x refuses a Sentinel or Cluster pool whose queue is shorter than the pool
    return new HeldConnections(Redis.createClient(vertx, options(settings, pool, Math.max(pool, poolWaiting), name)), connections);
  }

  static RedisOptions options(RedisSettings settings, int poolSize, int poolWaiting, String name) {
    var options = new RedisOptions().setEndpoints(new java.util.ArrayList<>(settings.urls()))
        .setMaxPoolSize(poolSize).setMaxPoolWaiting(poolWaiting).setMetricsName(name).setPoolName(name);
    switch (settings.mode()) {
      case "sentinel" -> options.setType(RedisClientType.SENTINEL).setMasterName(settings.masterName().orElseThrow())
          .setRole(RedisRole.MASTER).setAutoFailover(true);
      // the replicas are for failover only: a read there could miss a claim the master just took
      case "cluster" -> options.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER);
      default -> options.setType(RedisClientType.STANDALONE);
    }
    settings.user().ifPresent(options::setUser);
    settings.password().map(Secret::value).ifPresent(options::setPassword);
    // a held connection whose peer vanished (a host gone, a partition) is found out even when nothing is sent on it
    var net = options.getNetClientOptions().setMetricsName(name).setTcpKeepAlive(true);
    if (settings.tls()) {
      net.setHostnameVerificationAlgorithm("HTTPS");
      settings.caFile().ifPresent(ca -> net.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
    }
    return options;
  }
}
