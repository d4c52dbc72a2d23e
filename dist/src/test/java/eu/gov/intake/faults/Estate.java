package eu.gov.intake.faults;

import eu.gov.intake.devservices.DevServer;
import eu.gov.intake.devservices.DevServices;
import eu.gov.intake.devservices.KafkaCluster;
import eu.gov.intake.devservices.RedisCluster;
import eu.gov.intake.devservices.RedisNode;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the suite runs on, as production would have it, on loopback: three KRaft brokers, a Redis Cluster of three
 * masters with a replica each, PostgreSQL, two Intake instances from the distribution configured by INTAKE_*
 * settings only, and HAProxy in front of them, checking each instance's readiness on its management port. Every
 * fault is a real signal to a real process.
 */
final class Estate implements AutoCloseable {
  final Path dir;
  final Path home;
  private final Vertx vertx;
  final KafkaCluster kafka;
  final RedisCluster redis;
  final DevServices postgres;
  final Map<String, String> env = new HashMap<>();
  /** {@code nobody}: the user the Intake instances run as. */
  static final int SERVICE_UID = 65534;
  private final Path workDir;
  final List<Instance> intakes = new ArrayList<>();
  final int frontPort;
  final int haproxyStatsPort;
  private Process haproxy;
  String apiKey;

  /** One Intake process: {@code bin/intake serve} of the unpacked distribution on ports of its own. */
  final class Instance {
    final String name;
    final int httpPort;
    final int managementPort;
    private Process process;

    Instance(String name) throws IOException {
      this.name = name;
      this.httpPort = freePort();
      this.managementPort = freePort();
    }

    /**
     * As user {@code nobody}, as a service account would run it: its packets are then told apart from the brokers'
     * own, and a partition between Intake and Kafka is an iptables rule on that owner.
     */
    void start() throws Exception {
      var run = new ProcessBuilder("setpriv", "--reuid=" + SERVICE_UID, "--regid=" + SERVICE_UID, "--clear-groups",
          home.resolve("bin/intake").toString(), "serve")
          .directory(workDir.toFile())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
      run.environment().putAll(env);
      run.environment().put("INTAKE_HTTP_PORT", Integer.toString(httpPort));
      run.environment().put("INTAKE_MANAGEMENT_PORT", Integer.toString(managementPort));
      process = run.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline) {
        if (ready()) return;
        if (!process.isAlive()) throw new IllegalStateException(name + " exited at start; see " + dir.resolve(name + ".log"));
        Thread.sleep(200);
      }
      throw new IllegalStateException(name + " not ready in 120 s; see " + dir.resolve(name + ".log"));
    }

    boolean ready() {
      try (var socket = new java.net.Socket("127.0.0.1", managementPort)) {
        socket.getOutputStream().write("GET /health/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII).endsWith("200");
      } catch (IOException e) {
        return false;
      }
    }

    long pid() { return process.pid(); }

    /** SIGKILL, as a crash or the OOM killer would. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
    }

    /** SIGTERM, and the drain it starts. */
    void stop() throws InterruptedException {
      if (process == null || !process.isAlive()) return;
      process.destroy();
      if (!process.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)) kill();
    }
  }

  private Estate(Path dir, Path home, KafkaCluster kafka, RedisCluster redis, DevServices postgres, Vertx vertx) throws IOException {
    this.vertx = vertx;
    this.dir = dir;
    this.home = home;
    this.kafka = kafka;
    this.redis = redis;
    this.postgres = postgres;
    this.frontPort = freePort();
    this.haproxyStatsPort = freePort();
    this.workDir = Files.createDirectories(home.getParent().resolve("work"));
    Files.setPosixFilePermissions(workDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  /** Unpacks the distribution and starts everything; the steps an operator takes before the first serve included. */
  static Estate start(Path dir, Path tarball, Map<String, String> settings) throws Exception {
    Files.createDirectories(dir);
    // unpacked where user nobody can reach it, whatever the checkout's parents allow (/root is 0700)
    Path installed = Files.createTempDirectory("intake-faults-");
    Files.setPosixFilePermissions(installed, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    run(List.of("tar", "xzf", tarball.toString(), "-C", installed.toString()), dir.resolve("unpack.log"));
    Path home;
    try (var entries = Files.list(installed)) {
      home = entries.filter(p -> p.getFileName().toString().startsWith("intake-") && Files.isDirectory(p)).findFirst().orElseThrow();
    }
    log("starting three Kafka brokers, a Redis Cluster of six nodes and PostgreSQL");
    var kafka = KafkaCluster.start(dir.resolve("kafka"));
    var redis = RedisCluster.start(dir.resolve("redis"));
    var vertx = Vertx.vertx();
    var postgres = DevServices.start(vertx, dir.resolve("postgres"), new DevServices.Wanted(false, false, true)).await();
    var estate = new Estate(dir, home, kafka, redis, postgres, vertx);
    estate.env.putAll(Map.of(
        "JAVA_HOME", System.getProperty("java.home"),
        "JAVA_OPTS", "-Xmx384m",
        "INTAKE_KAFKA_BOOTSTRAP", kafka.bootstrap(),
        "INTAKE_REDIS_MODE", "cluster",
        "INTAKE_REDIS_URL", redis.urls(),
        "INTAKE_PG_URL", postgres.postgres().map(DevServer::endpoint).orElseThrow(),
        "INTAKE_APPLICANT_KEY_SECRET", "fault-suite-secret-" + java.util.UUID.randomUUID(),
        "INTAKE_HTTP_HOST", "127.0.0.1",
        "INTAKE_LOG_FORMAT", "text",
        "INTAKE_DATA_DIR", home.getParent().resolve("work/.intake").toString()));
    estate.env.put("HOME", home.getParent().resolve("work").toString());
    estate.env.putAll(settings);
    var keys = estate.cli("receipt-key", "generate");
    estate.env.put("INTAKE_RECEIPT_SIGNING_KEY", keys.lines().filter(l -> l.startsWith("INTAKE_RECEIPT_SIGNING_KEY="))
        .findFirst().orElseThrow().substring("INTAKE_RECEIPT_SIGNING_KEY=".length()));
    estate.cli("migrate");
    Path catalog = dir.resolve("catalog.json");
    try (var in = Estate.class.getClassLoader().getResourceAsStream("catalog/demo-catalog.json")) {
      Files.write(catalog, in.readAllBytes());
    }
    estate.cli("catalog", "load", catalog.toString());
    estate.apiKey = estate.cli("clients", "create", "fault-suite", "--channels", "WEB,MOBILE", "--rate", "100000", "--burst", "100000")
        .lines().toList().get(1).strip();
    estate.intakes.add(estate.new Instance("intake-a"));
    estate.intakes.add(estate.new Instance("intake-b"));
    log("starting two Intake instances from " + home.getFileName() + " and HAProxy in front of them");
    for (var instance : estate.intakes) instance.start();
    estate.startHaproxy();
    return estate;
  }

  /** Round robin over both; a server whose /health/ready fails twice (0.5 s apart) is out until it passes twice. */
  private void startHaproxy() throws Exception {
    var servers = new StringBuilder();
    for (var i : intakes) {
      servers.append("  server %s 127.0.0.1:%d check port %d\n".formatted(i.name, i.httpPort, i.managementPort));
    }
    Path config = dir.resolve("haproxy.cfg");
    Files.writeString(config, """
        global
          maxconn 4096
        defaults
          mode http
          timeout connect 1s
          timeout client 30s
          timeout server 30s
          # a connection refused by a dead instance is tried on the other: nothing was sent yet
          retries 2
          option redispatch
        frontend api
          bind 127.0.0.1:%d
          default_backend intake
        frontend stats
          bind 127.0.0.1:%d
          stats enable
          stats uri /stats
        backend intake
          balance roundrobin
          option httpchk GET /health/ready
          http-check expect status 200
          default-server inter 500ms fall 2 rise 2
        %s""".formatted(frontPort, haproxyStatsPort, servers));
    haproxy = new ProcessBuilder("haproxy", "-f", config.toString(), "-db").redirectErrorStream(true)
        .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try (var socket = new java.net.Socket("127.0.0.1", frontPort)) {
        return;
      } catch (IOException e) {
        if (!haproxy.isAlive()) throw new IllegalStateException("haproxy exited; see " + dir.resolve("haproxy.log"));
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("haproxy does not listen on " + frontPort);
  }

  // ---- faults: real signals to real processes

  void killBroker(int node) { kafka.node(node).process().kill(); }

  void startBroker(int node) { kafka.node(node).start(); }

  void killKafka() { List.of(1, 2, 3).parallelStream().forEach(this::killBroker); }

  /** All three at once: each waits for the controllers' quorum, which needs the others running. */
  void startKafka() { List.of(1, 2, 3).parallelStream().forEach(this::startBroker); }

  /** SIGKILLs a master of the Redis Cluster; its replica is promoted once the cluster marks it failed (2 s). */
  RedisNode killRedisMaster() {
    int port = redis.masterPorts().get(0);
    var node = redis.nodes().stream().filter(n -> n.port() == port).findFirst().orElseThrow();
    node.process().kill();
    return node;
  }

  /** The killed master comes back as a replica of the one promoted in its place. */
  void restartRedisNode(RedisNode node) {
    node.start();
    redis.awaitHealthy(Duration.ofSeconds(60));
  }

  /**
   * A network partition between the Intake instances and every broker: their packets to the brokers' ports are
   * dropped (no reset, no refusal: the connections hang), while the brokers keep talking to each other.
   */
  void partitionFromKafka() throws Exception { iptables("-I"); }

  void healPartition() throws Exception { iptables("-D"); }

  private void iptables(String action) throws Exception {
    String ports = String.join(",", List.of(kafka.node(1), kafka.node(2), kafka.node(3)).stream()
        .map(n -> n.endpoint().substring(n.endpoint().lastIndexOf(':') + 1)).toList());
    run(List.of("iptables", action, "OUTPUT", "-p", "tcp", "-m", "owner", "--uid-owner", Integer.toString(SERVICE_UID),
        "-m", "multiport", "--dports", ports, "-j", "DROP"), null);
    partitioned = action.equals("-I");
  }

  private volatile boolean partitioned;

  /** SIGSTOP to PostgreSQL's postmaster and every backend (its process group): it hangs, connections stay open. */
  void pausePostgres() throws Exception { signalGroup("STOP", postgres.postgres().orElseThrow().process().pid()); }

  void resumePostgres() throws Exception { signalGroup("CONT", postgres.postgres().orElseThrow().process().pid()); }

  private static void signalGroup(String signal, long pid) throws Exception {
    run(List.of("kill", "-s", signal, "--", "-" + pid), null);
  }

  /** An {@code intake} admin command with the estate's settings; fails on a non-zero exit. Its standard output. */
  String cli(String... args) throws Exception {
    var result = cliResult(args);
    if (result.exit() != 0) throw new IllegalStateException("intake " + String.join(" ", args) + " failed: " + result.output());
    return result.out();
  }

  /** The exit code of an admin command, its standard output, and all it printed. */
  record Result(int exit, String out, String output) {}

  Result cliResult(String... args) throws Exception {
    var command = new ArrayList<>(List.of(home.resolve("bin/intake").toString()));
    command.addAll(List.of(args));
    var process = new ProcessBuilder(command);
    process.environment().putAll(env);
    var started = process.start();
    String out = new String(started.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(started.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(started.waitFor(), out, err + out);
  }

  private static void run(List<String> command, Path log) throws Exception {
    var process = new ProcessBuilder(command).redirectErrorStream(true);
    if (log != null) process.redirectOutput(log.toFile());
    int exit = process.start().waitFor();
    if (exit != 0) throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static void log(String line) {
    System.out.println("faults: " + line);
    System.out.flush();
  }

  @Override public void close() {
    if (partitioned) {
      try {
        healPartition();
      } catch (Exception e) {
        log("could not remove the partition's iptables rule: " + e.getMessage());
      }
    }
    if (haproxy != null) haproxy.destroy();
    for (var i : intakes) {
      try {
        i.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    redis.close();
    kafka.close();
    postgres.close();
    vertx.close();
    try (var files = Files.walk(home.getParent())) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log("could not remove " + home.getParent() + ": " + e.getMessage());
    }
  }
}
