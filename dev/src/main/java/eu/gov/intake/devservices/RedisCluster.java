package eu.gov.intake.devservices;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A Redis Cluster of three masters with one replica each, six processes, made once with
 * {@code redis-cli --cluster create}; a restart finds the cluster from each node's nodes.conf.
 */
public final class RedisCluster implements AutoCloseable {
  private final List<RedisNode> nodes;

  private RedisCluster(List<RedisNode> nodes) { this.nodes = nodes; }

  public static RedisCluster start(Path dir) {
    var nodes = IntStream.range(1, 7).mapToObj(i -> {
      int port = Kept.port(dir, "node-" + i + ".port");
      return new RedisNode("redis-" + i, Kept.dir(dir, "node-" + i), port, """
          port %d
          bind 127.0.0.1
          cluster-enabled yes
          cluster-config-file nodes.conf
          cluster-node-timeout 2000
          appendonly yes
          repl-diskless-sync-delay 0
          """.formatted(port), false);
    }).toList();
    var cluster = new RedisCluster(nodes);
    try {
      nodes.forEach(RedisNode::start);
      Path created = dir.resolve("created");
      if (!Files.exists(created)) {
        var create = new java.util.ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
        create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        ManagedProcess.runToCompletion("redis cluster create", create, dir.resolve("create.log"), Duration.ofMinutes(1));
        Files.writeString(created, "yes");
      }
      cluster.awaitHealthy(Duration.ofSeconds(60));
      return cluster;
    } catch (java.io.IOException | RuntimeException e) {
      cluster.close();
      throw e instanceof RuntimeException r ? r : new DevServiceFailure("cannot make the Redis cluster in " + dir, e);
    }
  }

  /**
   * Waits until every running node says the cluster is ok, three masters serve all slots and every running replica
   * has synchronised with its master: a replica that never did refuses to take over when its master dies.
   */
  public void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean ok = nodes.stream().filter(n -> n.process().isAlive()).allMatch(n -> n.cli("cluster", "info").contains("cluster_state:ok")
          && replicating(n.cli("info", "replication")));
      if (ok && masterPorts().size() == 3) return;
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new DevServiceFailure("the Redis cluster is not ok after " + timeout);
  }

  private static boolean replicating(String replicationInfo) {
    return !replicationInfo.contains("role:slave") || replicationInfo.contains("master_link_status:up");
  }

  /** The ports of the nodes that are masters now (a failover changes them). */
  public List<Integer> masterPorts() {
    var alive = nodes.stream().filter(n -> n.process().isAlive()).findFirst().orElseThrow();
    return alive.cli("cluster", "nodes").lines().filter(l -> l.contains("master") && !l.contains("fail"))
        .map(l -> l.split(" ")[1]).map(addr -> Integer.parseInt(addr.substring(addr.indexOf(':') + 1).split("@")[0]))
        .sorted().toList();
  }

  /** Keys matching {@code pattern} held by the node on this port. */
  public long keysOn(int port, String pattern) {
    var node = nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
    return node.cli("--scan", "--pattern", pattern).lines().filter(l -> !l.isBlank()).count();
  }

  public String urls() { return String.join(",", nodes.stream().map(n -> "redis://127.0.0.1:" + n.port()).toList()); }

  public List<RedisNode> nodes() { return nodes; }

  @Override public void close() { nodes.parallelStream().forEach(RedisNode::stop); }
}
