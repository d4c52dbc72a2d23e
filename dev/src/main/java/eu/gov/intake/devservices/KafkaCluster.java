package eu.gov.intake.devservices;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Three KRaft nodes, each broker and controller, as a portal runs Kafka: replication factor 3 and
 * {@code min.insync.replicas} 2 by default, so an acknowledged record is on two brokers and one broker can go.
 * Each node is a process of its own that a test can kill and start again.
 */
public final class KafkaCluster implements AutoCloseable {
  private final List<KafkaServer> nodes;

  private KafkaCluster(List<KafkaServer> nodes) { this.nodes = nodes; }

  /** Ports chosen once and kept in {@code dir}; blocks until every node listens. */
  public static KafkaCluster start(Path dir) {
    String classpath = KafkaClasspath.read();
    int[] ports = IntStream.range(0, 3).map(i -> Kept.port(dir, "kafka-" + (i + 1) + ".port")).toArray();
    int[] controllers = IntStream.range(0, 3).map(i -> Kept.port(dir, "kafka-" + (i + 1) + ".controller.port")).toArray();
    String voters = String.join(",", IntStream.range(0, 3).mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllers[i]).toList());
    var nodes = IntStream.range(0, 3).mapToObj(i -> KafkaServer.clusterNode(Kept.dir(dir, "node-" + (i + 1)), i + 1, ports[i],
        controllers[i], voters, classpath)).toList();
    var cluster = new KafkaCluster(nodes);
    try {
      // the controllers elect a leader only once a majority runs: launch all, then wait for each
      nodes.forEach(KafkaServer::launch);
      nodes.forEach(node -> node.process().awaitPort(node.port(), Duration.ofSeconds(90)));
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public String bootstrap() { return String.join(",", nodes.stream().map(KafkaServer::endpoint).toList()); }

  /** Node 1, 2 or 3. */
  public KafkaServer node(int number) { return nodes.get(number - 1); }

  @Override public void close() { nodes.parallelStream().forEach(KafkaServer::stop); }
}
