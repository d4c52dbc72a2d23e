package eu.gov.intake.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller), run as its own JVM with its own
 * classpath: its 4.x jars must never meet the 3.x kafka-clients on Intake's classpath. One node on its own (dev
 * mode), a node of a three-node cluster ({@link KafkaCluster}), or one whose clients must speak SASL_SSL.
 */
public final class KafkaServer implements DevServer {
  private static final String CLUSTER_ID = "aW50YWtlLWRldi1rYWZrYQ";  // 22 chars of base64: one fixed dev cluster

  private final Path dir;
  private final int port;
  private final int controllerPort;
  private final String classpath;
  private final int nodeId;
  private final String voters;
  private final int replication;
  private final String listeners;
  private final List<String> formatArgs;
  private final ManagedProcess process;

  KafkaServer(Path dir, int port, int controllerPort, String classpath) {
    this(dir, port, controllerPort, classpath, 1, "1@127.0.0.1:" + controllerPort, 1, plaintext(port, controllerPort), List.of());
  }

  private static String plaintext(int port, int controllerPort) {
    return """
        listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
        advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
        inter.broker.listener.name=PLAINTEXT
        listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
        """.formatted(port, controllerPort);
  }

  /** Node {@code nodeId} of a cluster whose controllers are {@code voters} ({@code 1@127.0.0.1:port,...}). */
  static KafkaServer clusterNode(Path dir, int nodeId, int port, int controllerPort, String voters, String classpath) {
    return new KafkaServer(dir, port, controllerPort, classpath, nodeId, voters, 3, plaintext(port, controllerPort), List.of());
  }

  /**
   * A broker whose only client listener is SASL_SSL with SCRAM-SHA-512 (user {@code user}, made at storage format),
   * its certificate from {@code certificates}; the controller listener stays on loopback, for the broker itself.
   */
  static KafkaServer secured(Path dir, int port, int controllerPort, String classpath, Certificates certificates,
                             String user, String password) {
    String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
        + password + "\";";
    String listeners = """
        listeners=SASL_SSL://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
        advertised.listeners=SASL_SSL://127.0.0.1:%1$d
        inter.broker.listener.name=SASL_SSL
        listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
        sasl.enabled.mechanisms=SCRAM-SHA-512
        sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
        listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=%3$s
        ssl.keystore.type=PKCS12
        ssl.keystore.location=%4$s
        ssl.keystore.password=%5$s
        ssl.truststore.type=PKCS12
        ssl.truststore.location=%6$s
        ssl.truststore.password=%5$s
        """.formatted(port, controllerPort, jaas, certificates.keyStore(), certificates.storePassword(), certificates.trustStore());
    return new KafkaServer(dir, port, controllerPort, classpath, 1, "1@127.0.0.1:" + controllerPort, 1, listeners,
        List.of("--add-scram", "SCRAM-SHA-512=[name=" + user + ",password=" + password + "]"));
  }

  private KafkaServer(Path dir, int port, int controllerPort, String classpath, int nodeId, String voters, int replication,
                      String listeners, List<String> formatArgs) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.classpath = classpath;
    this.nodeId = nodeId;
    this.voters = voters;
    this.replication = replication;
    this.listeners = listeners;
    this.formatArgs = formatArgs;
    this.process = new ManagedProcess(voters.contains(",") ? "kafka-" + nodeId : "kafka", List.of(), List.of(java(), "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
        "-cp", classpath, "kafka.Kafka", dir.resolve("server.properties").toString()),
        dir.resolve("kafka.log"), "TERM");
  }

  @Override public void start() {
    launch();
    process.awaitPort(port, Duration.ofSeconds(60));
  }

  /** Starts the process without waiting for its port: the nodes of a cluster wait for each other's controllers. */
  void launch() {
    writeConfig();
    if (!Files.exists(dir.resolve("logs/meta.properties"))) {
      var format = new java.util.ArrayList<>(List.of(java(), "-Xmx128m",
          "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"), "-cp", classpath,
          "kafka.tools.StorageTool", "format", "-t", CLUSTER_ID, "-c", dir.resolve("server.properties").toString()));
      format.addAll(formatArgs);
      ManagedProcess.runToCompletion("kafka storage format", format, dir.resolve("kafka.log"), Duration.ofMinutes(1));
    }
    process.start();
  }

  int port() { return port; }

  /** Written at every start: the ports may change between runs, the data does not. */
  private void writeConfig() {
    String server = """
        process.roles=broker,controller
        node.id=%4$d
        controller.quorum.voters=%5$s
        controller.listener.names=CONTROLLER
        %6$s
        log.dirs=%3$s
        num.partitions=6
        # as in production: Intake creates its topics itself, and a send to a missing one is not hidden
        auto.create.topics.enable=false
        default.replication.factor=%7$d
        min.insync.replicas=%8$d
        offsets.topic.replication.factor=%7$d
        offsets.topic.num.partitions=6
        transaction.state.log.replication.factor=%7$d
        transaction.state.log.min.isr=%8$d
        share.coordinator.state.topic.replication.factor=%7$d
        share.coordinator.state.topic.min.isr=%8$d
        group.initial.rebalance.delay.ms=0
        # After a SIGKILL the restarted broker waits for its old session to expire: keep that short.
        broker.session.timeout.ms=2000
        broker.heartbeat.interval.ms=500
        """.formatted(port, controllerPort, dir.resolve("logs"), nodeId, voters, listeners.strip(), replication,
            replication >= 3 ? 2 : 1);
    String log4j = """
        appender.out.type=Console
        appender.out.name=out
        appender.out.layout.type=PatternLayout
        appender.out.layout.pattern=%d{ISO8601} %p %c{1} %m%n
        rootLogger.level=WARN
        rootLogger.appenderRef.out.ref=out
        logger.started.name=kafka.server.KafkaRaftServer
        logger.started.level=INFO
        """;
    try {
      Files.writeString(dir.resolve("server.properties"), server);
      Files.writeString(dir.resolve("log4j2.properties"), log4j);
    } catch (IOException e) {
      throw new DevServiceFailure("cannot write Kafka config in " + dir, e);
    }
  }

  @Override public ManagedProcess process() { return process; }

  @Override public String endpoint() { return "127.0.0.1:" + port; }

  private static String java() { return Path.of(System.getProperty("java.home"), "bin", "java").toString(); }
}
