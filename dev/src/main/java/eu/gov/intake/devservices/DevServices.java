package eu.gov.intake.devservices;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Kafka, Redis and PostgreSQL that dev mode and the test suite run on loopback, each as a child
 * process with its data under one directory. Ports and the database password are chosen on first use and
 * kept in {@code devservices.properties}, so a restart finds the same servers at the same addresses.
 */
public final class DevServices implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DevServices.class);

  /** Which servers to run: the ones with no external endpoint configured. */
  public record Wanted(boolean kafka, boolean redis, boolean postgres) {}

  private final Optional<DevServer> kafka;
  private final Optional<DevServer> redis;
  private final Optional<DevServer> postgres;

  private DevServices(Optional<DevServer> kafka, Optional<DevServer> redis, Optional<DevServer> postgres) {
    this.kafka = kafka;
    this.redis = redis;
    this.postgres = postgres;
  }

  /** Starts the wanted servers in parallel on worker threads; on any failure stops those that did start. */
  public static Future<DevServices> start(Vertx vertx, Path dataDir, Wanted wanted) {
    return vertx.executeBlocking(() -> prepare(dataDir, wanted))
        .compose(services -> Future.join(services.all().stream()
                .map(server -> vertx.executeBlocking(() -> {
                  long started = System.nanoTime();
                  server.start();
                  LOG.info("{} ready at {} in {} ms (pid {})", server.process().name(), server.endpoint().replaceAll("//[^@/]*@", "//"),
                      (System.nanoTime() - started) / 1_000_000, server.process().pid());
                  return server;
                }, false)).toList())
            .transform(all -> all.succeeded() ? Future.succeededFuture(services)
                : vertx.executeBlocking(() -> { services.close(); return null; })
                    .transform(closed -> Future.<DevServices>failedFuture(all.cause()))));
  }

  private static DevServices prepare(Path dataDir, Wanted wanted) throws IOException {
    Files.createDirectories(dataDir);
    Properties state = loadOrCreateState(dataDir);
    return new DevServices(
        wanted.kafka() ? Optional.of(new KafkaServer(dir(dataDir, "kafka"), port(state, "kafka.port"),
            port(state, "kafka.controller.port"), KafkaClasspath.read())) : Optional.empty(),
        wanted.redis() ? Optional.of(new RedisServer(dir(dataDir, "redis"), port(state, "redis.port"))) : Optional.empty(),
        wanted.postgres() ? Optional.of(new PostgresServer(dir(dataDir, "postgres"), port(state, "postgres.port"),
            state.getProperty("postgres.password"))) : Optional.empty());
  }

  private static Properties loadOrCreateState(Path dataDir) throws IOException {
    Path file = dataDir.resolve("devservices.properties");
    var state = new Properties();
    if (Files.exists(file)) {
      try (Reader in = Files.newBufferedReader(file)) { state.load(in); }
    }
    boolean changed = false;
    for (String key : List.of("kafka.port", "kafka.controller.port", "redis.port", "postgres.port")) {
      if (!state.containsKey(key)) {
        state.setProperty(key, Integer.toString(freePort()));
        changed = true;
      }
    }
    if (!state.containsKey("postgres.password")) {
      byte[] secret = new byte[16];
      new SecureRandom().nextBytes(secret);
      state.setProperty("postgres.password", HexFormat.of().formatHex(secret));
      changed = true;
    }
    if (changed) {
      var out = new java.io.StringWriter();
      state.store(out, "ports and password of the dev servers");
      OwnerOnly.write(file, out.toString());
    }
    return state;
  }

  private static Path dir(Path dataDir, String name) throws IOException {
    return Files.createDirectories(dataDir.resolve(name));
  }

  private static int port(Properties state, String key) { return Integer.parseInt(state.getProperty(key)); }

  /**
   * A free port below the kernel's ephemeral range. A server's port is kept for restarts, and while the server
   * is down its clients keep reconnecting: a port in the ephemeral range can be taken meanwhile as the source
   * port of such a reconnect (a TCP self-connect), and the server could not bind it again.
   */
  static int freePort() throws IOException {
    int ephemeralFrom = ephemeralRangeStart();
    var random = new java.util.Random();
    for (int attempt = 0; attempt < 200 && ephemeralFrom > 10_000; attempt++) {
      int port = 10_000 + random.nextInt(ephemeralFrom - 10_000);
      try (var socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // another one
      }
    }
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static int ephemeralRangeStart() {
    try {
      return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException unknown) {
      return 32_768;  // Linux's default
    }
  }

  private List<DevServer> all() {
    var all = new ArrayList<DevServer>();
    kafka.ifPresent(all::add);
    redis.ifPresent(all::add);
    postgres.ifPresent(all::add);
    return all;
  }

  public Optional<DevServer> kafka() { return kafka; }

  public Optional<DevServer> redis() { return redis; }

  public Optional<DevServer> postgres() { return postgres; }

  /** Stops every server in parallel and waits for them; blocks, so call it from a shutdown hook or worker. */
  @Override public void close() {
    List<Thread> stopping = all().stream()
        .map(server -> Thread.ofPlatform().name("stop-" + server.process().name()).start(server::stop))
        .toList();
    for (Thread t : stopping) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
