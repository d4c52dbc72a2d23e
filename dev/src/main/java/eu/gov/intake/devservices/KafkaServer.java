package eu.gov.intake.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller, one node), run as its own JVM
 * with its own classpath: its 4.x jars must never meet the 3.x kafka-clients on Intake's classpath.
 */
final class KafkaServer implements DevServer {
  private static final String CLUSTER_ID = "aW50YWtlLWRldi1rYWZrYQ";  // 22 chars of base64: one fixed dev cluster

  private final Path dir;
  private final int port;
  private final int controllerPort;
  private final String classpath;
  private final ManagedProcess process;

  KafkaServer(Path dir, int port, int controllerPort, String classpath) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.classpath = classpath;
    this.process = new ManagedProcess("kafka", List.of(), List.of(java(), "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
        "-cp", classpath, "kafka.Kafka", dir.resolve("server.properties").toString()),
        dir.resolve("kafka.log"), "TERM");
  }

  @Override public void start() {
    writeConfig();
    if (!Files.exists(dir.resolve("logs/meta.properties"))) {
      ManagedProcess.runToCompletion("kafka storage format", List.of(java(), "-Xmx128m",
          "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"), "-cp", classpath,
          "kafka.tools.StorageTool", "format", "-t", CLUSTER_ID, "-c", dir.resolve("server.properties").toString()),
          dir.resolve("kafka.log"), Duration.ofMinutes(1));
    }
    process.start();
    process.awaitPort(port, Duration.ofSeconds(60));
  }

  /** Written at every start: the ports may change between runs, the data does not. */
  private void writeConfig() {
    String server = """
        process.roles=broker,controller
        node.id=1
        controller.quorum.voters=1@127.0.0.1:%2$d
        listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
        advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
        controller.listener.names=CONTROLLER
        inter.broker.listener.name=PLAINTEXT
        listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
        log.dirs=%3$s
        num.partitions=6
        # as in production: Intake creates its topics itself, and a send to a missing one is not hidden
        auto.create.topics.enable=false
        offsets.topic.replication.factor=1
        offsets.topic.num.partitions=6
        transaction.state.log.replication.factor=1
        transaction.state.log.min.isr=1
        share.coordinator.state.topic.replication.factor=1
        share.coordinator.state.topic.min.isr=1
        group.initial.rebalance.delay.ms=0
        # After a SIGKILL the restarted broker waits for its old session to expire: keep that short.
        broker.session.timeout.ms=2000
        broker.heartbeat.interval.ms=500
        """.formatted(port, controllerPort, dir.resolve("logs"));
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
