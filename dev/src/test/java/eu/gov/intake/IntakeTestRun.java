package eu.gov.intake;

import eu.gov.intake.config.IntakeConfig;
import eu.gov.intake.dev.DevSeed;
import eu.gov.intake.devservices.DevServer;
import eu.gov.intake.devservices.DevServices;
import eu.gov.intake.testing.TestIntake;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts real Kafka, Redis and PostgreSQL (dev services, on free ports, fresh data) and one Intake on them,
 * once per test run: the first test class that uses this extension pays for it, and JUnit stops it all
 * when the run ends. Tests get a {@link TestIntake} parameter.
 */
public final class IntakeTestRun implements BeforeAllCallback, ParameterResolver {
  private static final class Running implements AutoCloseable {
    final Vertx vertx;
    final DevServices servers;
    final IntakeApp app;
    final TestIntake view;

    Running() {
      Path dir = eu.gov.intake.testing.TestDirs.fresh("run");
      // A short deadline keeps the tests that take Kafka away quick; everything else is the dev default.
      var config = IntakeConfig.fromEnv(Map.of("INTAKE_REQUEST_DEADLINE", "3s", "INTAKE_CATALOG_REFRESH", "500ms",
          "INTAKE_KEY_CACHE_TTL", "1s", "INTAKE_MIGRATE", "auto",
          "INTAKE_DEPENDENCY_CHECK_INTERVAL", "1s"), true)
          .withPorts(0, 0);
      var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      vertx = IntakeApp.newVertx(registry, java.util.Optional.empty());
      servers = DevServices.start(vertx, dir, new DevServices.Wanted(true, true, true)).await();
      var effective = config.withEndpoints(endpoint(servers.kafka().orElseThrow()), endpoint(servers.redis().orElseThrow()),
          endpoint(servers.postgres().orElseThrow()));
      var seed = new DevSeed(vertx, dir.resolve("dev.json"));
      try {
        app = IntakeApp.start(vertx, effective, registry, seed::apply).await();
      } catch (RuntimeException e) {
        servers.close();             // else the next test class would start them again beside these
        vertx.close().await();
        throw e;
      }
      view = new TestIntake(app.apiPort(), app.managementPort(), effective.kafkaBootstrap().orElseThrow(),
          effective.redisUrl().orElseThrow(), effective.pgUrl().orElseThrow(), seed.clients(), servers);
    }

    private static String endpoint(DevServer server) { return server.endpoint(); }

    @Override public void close() {
      app.stop().await();
      vertx.close().await();
      servers.close();
    }
  }

  @Override public void beforeAll(ExtensionContext context) {
    running(context);
  }

  private static Running running(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Running.class, k -> new Running(), Running.class);
  }

  @Override public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == TestIntake.class;
  }

  @Override public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return running(extension).view;
  }
}
