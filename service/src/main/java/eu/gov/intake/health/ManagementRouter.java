package eu.gov.intake.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * The management port (contract section 6), for operators only: liveness, the startup probe, readiness, the
 * dependencies' last checks, and Prometheus metrics. It listens from the first second of start-up, so that a
 * slow first start can be watched and probed.
 */
public final class ManagementRouter {
  private ManagementRouter() {}

  public static Router create(Vertx vertx, Readiness readiness, DependencyWatch dependencies, PrometheusMeterRegistry registry) {
    var router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/started").handler(ctx -> answer(ctx, readiness.isStarted(),
        new JsonObject().put("status", readiness.isStarted() ? "UP" : "STARTING")));
    router.get("/health/ready").handler(ctx -> {
      var check = readiness.check();
      answer(ctx, check.getBoolean("ready"), check);
    });
    // always 200: it describes, it does not decide; nothing should route or restart on it
    router.get("/health/dependencies").handler(ctx -> ctx.json(dependencies.toJson()));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    return router;
  }

  private static void answer(RoutingContext ctx, boolean ok, JsonObject body) {
    ctx.response().setStatusCode(ok ? 200 : 503).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }
}
