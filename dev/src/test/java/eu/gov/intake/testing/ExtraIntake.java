package eu.gov.intake.testing;

import eu.gov.intake.IntakeApp;
import eu.gov.intake.config.IntakeConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * Another Intake instance in this JVM, on the test run's servers, with settings of its own (a small
 * in-flight bound, the spool off, ...): what a second instance behind the load balancer would be.
 */
public record ExtraIntake(Vertx vertx, IntakeApp app, PrometheusMeterRegistry registry) implements AutoCloseable {
  public static ExtraIntake start(TestIntake shared, Map<String, String> env) {
    return start(shared, env, java.util.Optional.empty());
  }

  /** With traces into {@code tracing} (an SDK of the test's own). */
  public static ExtraIntake start(TestIntake shared, Map<String, String> env, java.util.Optional<io.opentelemetry.api.OpenTelemetry> tracing) {
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    var vertx = IntakeApp.newVertx(registry, tracing);
    var config = IntakeConfig.fromEnv(env, true).withPorts(0, 0)
        .withEndpoints(shared.kafkaBootstrap(), shared.redisUrl(), shared.pgUrl());
    return new ExtraIntake(vertx, IntakeApp.start(vertx, config, registry, pool -> Future.succeededFuture()).await(), registry);
  }

  public int apiPort() { return app.apiPort(); }

  @Override public void close() {
    app.stop().await();
    vertx.close().await();
  }
}
