package eu.gov.intake.cli;

import eu.gov.intake.IntakeApp;
import eu.gov.intake.config.BuildInfo;
import eu.gov.intake.config.IntakeConfig;
import eu.gov.intake.tracing.Tracing;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Intake until SIGTERM: starts it, logs {@code Intake ready}, and drains it in a shutdown hook. Dev
 * mode wraps the same steps ({@link Around}): servers started before, demo data seeded, its own file written
 * once ready, its servers stopped last.
 */
public final class Serve {
  private static final Logger LOG = LoggerFactory.getLogger(Serve.class);

  /** What dev mode does around serving; production does none of it. */
  public interface Around {
    /** Before Intake starts, on the main thread (it may block): the settings to start with. */
    default IntakeConfig before(Vertx vertx, IntakeConfig config) { return config; }

    default Future<?> seed(Pool pool) { return Future.succeededFuture(); }

    /** Once Intake is ready, on the main thread: a suffix for the ready line. */
    default String ready(IntakeConfig effective, IntakeApp app) throws Exception { return ""; }

    /** After Intake and Vert.x have stopped. */
    default void after() {}
  }

  private Serve() {}

  /** Returns {@link IntakeCli#SERVING} once ready (the process lives on), or 1 when start-up failed. */
  public static int run(IntakeConfig config, java.util.Map<String, String> env, Around around) {
    long started = System.nanoTime();
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    java.util.Optional<OpenTelemetrySdk> tracing;
    try {
      tracing = Tracing.fromEnv(env);
    } catch (RuntimeException e) {
      LOG.error("Intake cannot start: traces: {}", Failures.describe(e));
      return 2;  // an OTEL_* setting the SDK cannot use
    }
    var vertx = IntakeApp.newVertx(registry, tracing);
    var app = new AtomicReference<IntakeApp>();
    var exitCode = new java.util.concurrent.atomic.AtomicInteger();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, app.get(), around, tracing, config, exitCode.get()), "intake-shutdown"));
    try {
      LOG.info("Intake {} starting: {}{}", BuildInfo.read(), config, tracing.isPresent() ? " (traces exported over OTLP)" : "");
      IntakeConfig effective = around.before(vertx, config);
      Function<Pool, Future<?>> seed = around::seed;
      app.set(IntakeApp.start(vertx, effective, registry, seed).await());
      String suffix = around.ready(effective, app.get());
      LOG.info("Intake ready in {} ms: api {} management http://127.0.0.1:{} (roles {}){}", (System.nanoTime() - started) / 1_000_000,
          effective.roles().api() ? "http://127.0.0.1:" + app.get().apiPort() : "off", app.get().managementPort(), effective.roles(), suffix);
      return IntakeCli.SERVING;
    } catch (Exception e) {
      LOG.error("Intake cannot start: {}", Failures.describe(e));
      LOG.debug("start-up failure", e);
      exitCode.set(1);
      return 1;  // main exits, and the shutdown hook stops whatever did start
    }
  }

  /**
   * SIGTERM, Ctrl-C, or a failed start: drain Intake, close Vert.x, then whatever dev mode started. A drain after
   * SIGTERM is the normal end of an instance, so the process exits 0 (not the JVM's 143), and an orchestrator or
   * systemd sees a clean stop; a failed start exits 1.
   */
  private static void shutdown(Vertx vertx, IntakeApp app, Around around, java.util.Optional<OpenTelemetrySdk> tracing,
                               IntakeConfig config, int exitCode) {
    LOG.info("Intake stopping");
    // every step is bounded, but a close that never returns must not keep the process past what the
    // orchestrator allows (terminationGracePeriodSeconds is sized for grace + timeout + a few seconds)
    long limit = config.shutdownGrace().plus(config.shutdownTimeout()).plusSeconds(5).toMillis();
    var watchdog = new Thread(() -> {
      try {
        Thread.sleep(limit);
        LOG.error("Intake did not stop within {} ms; exiting now", limit);
        Logs.flush();
        Runtime.getRuntime().halt(1);
      } catch (InterruptedException done) {
        // stopped in time
      }
    }, "intake-shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      try {
        if (app != null) app.stop().await();
        vertx.close().await();
      } catch (RuntimeException e) {
        LOG.warn("shutdown: {}", e.toString());
      }
      tracing.ifPresent(sdk -> sdk.shutdown().join(3, java.util.concurrent.TimeUnit.SECONDS));  // the last spans
      watchdog.interrupt();
      around.after();  // dev mode's servers: each stop is bounded by its own grace
      LOG.info("Intake stopped");
    } catch (RuntimeException | Error e) {
      LOG.error("shutdown failed: {}", e.toString());
      exitCode = 1;
    } finally {
      Logs.flush();
      Runtime.getRuntime().halt(exitCode);
    }
  }
}
