package eu.gov.intake;

import eu.gov.intake.config.IntakeConfig;
import eu.gov.intake.config.InvalidConfig;
import eu.gov.intake.devservices.DevServer;
import eu.gov.intake.devservices.DevServices;
import eu.gov.intake.metrics.IntakeMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Intake. {@code intake} alone is production: every endpoint must be configured. {@code intake dev}
 * is dev mode (contract section 7): servers that are not configured are started here as child processes.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws java.io.IOException {
    if (args.length > 0 && java.util.Set.of("clients", "catalog", "receipt-key", "ledger").contains(args[0])) {
      System.exit(new Admin(System.out).run(java.util.List.of(args), System.getenv()));
    }
    if (args.length > 0 && args[0].equals("example-consumer")) {
      System.exit(eu.gov.intake.example.DepartmentConsumer.main(java.util.List.of(args).subList(1, args.length), System.getenv()));
    }
    if (args.length > 0 && !args[0].equals("dev")) {
      LOG.error("unknown command {}\n{}", args[0], Admin.USAGE);
      System.exit(2);
    }
    long started = System.nanoTime();
    boolean dev = args.length > 0 && args[0].equals("dev");
    IntakeConfig config;
    try {
      config = IntakeConfig.fromEnv(System.getenv(), dev);
    } catch (InvalidConfig e) {
      LOG.error("Intake cannot start: {}", e.getMessage());
      System.exit(2);
      return;
    }
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var vertx = newVertx(registry);
    var devServices = new AtomicReference<Optional<DevServices>>(Optional.empty());
    var app = new AtomicReference<IntakeApp>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, app.get(), devServices.get()), "intake-shutdown"));
    try {
      IntakeConfig effective = dev ? startDevServices(vertx, config, devServices) : config;
      var seed = new DevSeed(vertx, config.dataDir().resolve("dev.json"));
      app.set(IntakeApp.start(vertx, effective, registry, dev ? seed::apply : pool -> Future.succeededFuture()).await());
      String api = "http://127.0.0.1:" + app.get().apiPort();
      String management = "http://127.0.0.1:" + app.get().managementPort();
      if (dev) {
        writeDevJson(effective, api, management, seed);
        exitWithLauncher();
      }
      LOG.info("Intake ready in {} ms: api {} management {}{}", (System.nanoTime() - started) / 1_000_000, api, management,
          dev ? " (dev mode; keys in " + config.dataDir().resolve("dev.json") + ")" : "");
    } catch (RuntimeException | IOException e) {
      LOG.error("Intake cannot start: {}", e.getMessage());
      LOG.debug("start-up failure", e);
      System.exit(1);  // the shutdown hook stops whatever did start
    }
  }

  public static Vertx newVertx(PrometheusMeterRegistry registry) {
    var metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        // Route, not path: a path label would make every applicationId a time series. The pool labels keep
        // the PostgreSQL, Redis and worker pools apart, the local address the API and management servers.
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME,
            Label.CLIENT_NAME, Label.NAMESPACE, Label.LOCAL));
    IntakeMeters.configure(registry);
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry)).build();
  }

  private static IntakeConfig startDevServices(Vertx vertx, IntakeConfig config, AtomicReference<Optional<DevServices>> holder) {
    var wanted = new DevServices.Wanted(config.kafkaBootstrap().isEmpty(), config.redisUrl().isEmpty(), config.pgUrl().isEmpty());
    var services = DevServices.start(vertx, config.dataDir(), wanted).await();
    holder.set(Optional.of(services));
    return config.withEndpoints(
        config.kafkaBootstrap().orElseGet(() -> services.kafka().map(DevServer::endpoint).orElseThrow()),
        config.redisUrl().orElseGet(() -> services.redis().map(DevServer::endpoint).orElseThrow()),
        config.pgUrl().orElseGet(() -> services.postgres().map(DevServer::endpoint).orElseThrow()));
  }

  /** On the main thread, which may block; the event loops never touch the file. */
  private static void writeDevJson(IntakeConfig config, String api, String management, DevSeed seed) throws IOException {
    var json = new JsonObject().put("api", api).put("management", management)
        .put("kafka", config.kafkaBootstrap().orElseThrow()).put("redis", config.redisUrl().orElseThrow())
        .put("postgres", config.pgUrl().orElseThrow()).put("clients", seed.clients());
    Files.writeString(config.dataDir().resolve("dev.json"), json.encodePrettily());
  }

  /**
   * Dev mode runs under a launcher (./mvnw exec:exec, a shell); if the launcher goes away without stopping us
   * (SIGKILL, a closed terminal), stop too, so that no Intake and no servers are left behind.
   */
  private static void exitWithLauncher() {
    ProcessHandle.current().parent().ifPresent(launcher -> launcher.onExit().thenRun(() -> {
      LOG.info("the process that started dev mode has gone; stopping");
      System.exit(0);
    }));
  }

  /** Ctrl-C, SIGTERM, or a failed start: drain Intake, close Vert.x, then stop the servers dev mode started. */
  private static void shutdown(Vertx vertx, IntakeApp app, Optional<DevServices> devServices) {
    LOG.info("Intake stopping");
    try {
      if (app != null) app.stop().await();
      vertx.close().await();
    } catch (RuntimeException e) {
      LOG.warn("shutdown: {}", e.toString());
    }
    devServices.ifPresent(DevServices::close);
    LOG.info("Intake stopped");
  }
}
