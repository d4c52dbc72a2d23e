package eu.gov.intake.devservices;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A master, its replica and three sentinels watching them as master {@code intake} (quorum 2): a failover a test
 * can cause by killing the master.
 */
public final class RedisSentinels implements AutoCloseable {
  public static final String MASTER_NAME = "intake";
  private final RedisNode master;
  private final RedisNode replica;
  private final List<RedisNode> sentinels;

  private RedisSentinels(RedisNode master, RedisNode replica, List<RedisNode> sentinels) {
    this.master = master;
    this.replica = replica;
    this.sentinels = sentinels;
  }

  public static RedisSentinels start(Path dir) {
    int masterPort = Kept.port(dir, "master.port");
    int replicaPort = Kept.port(dir, "replica.port");
    var master = new RedisNode("redis-master", Kept.dir(dir, "master"), masterPort, """
        port %d
        bind 127.0.0.1
        appendonly yes
        """.formatted(masterPort), false);
    var replica = new RedisNode("redis-replica", Kept.dir(dir, "replica"), replicaPort, """
        port %d
        bind 127.0.0.1
        appendonly yes
        replicaof 127.0.0.1 %d
        """.formatted(replicaPort, masterPort), false);
    var sentinels = IntStream.range(1, 4).mapToObj(i -> {
      int port = Kept.port(dir, "sentinel-" + i + ".port");
      return new RedisNode("sentinel-" + i, Kept.dir(dir, "sentinel-" + i), port, """
          port %d
          bind 127.0.0.1
          sentinel monitor %s 127.0.0.1 %d 2
          sentinel down-after-milliseconds %s 1000
          sentinel failover-timeout %s 5000
          """.formatted(port, MASTER_NAME, masterPort, MASTER_NAME, MASTER_NAME), true);
    }).toList();
    var set = new RedisSentinels(master, replica, sentinels);
    try {
      master.start();
      replica.start();
      sentinels.forEach(RedisNode::start);
      set.awaitMasterKnown(Duration.ofSeconds(30));
      return set;
    } catch (RuntimeException e) {
      set.close();
      throw e;
    }
  }

  /** The master's port as the sentinels say it now. */
  public int masterPort() {
    var reply = sentinels.get(0).cli("sentinel", "get-master-addr-by-name", MASTER_NAME).lines().toList();
    return reply.size() >= 2 ? Integer.parseInt(reply.get(1).strip()) : -1;
  }

  void awaitMasterKnown(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (masterPort() > 0 && sentinels.get(0).cli("sentinel", "replicas", MASTER_NAME).contains(Integer.toString(replica.port()))) return;
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new DevServiceFailure("the sentinels do not know master " + MASTER_NAME + " and its replica after " + timeout);
  }

  public String urls() { return String.join(",", sentinels.stream().map(n -> "redis://127.0.0.1:" + n.port()).toList()); }

  public RedisNode master() { return master; }

  public RedisNode replica() { return replica; }

  @Override public void close() {
    sentinels.parallelStream().forEach(RedisNode::stop);
    replica.stop();
    master.stop();
  }
}
