package eu.gov.intake.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** The management port (contract section 6): liveness, readiness and Prometheus metrics, for operators only. */
public final class ManagementRouter {
  private ManagementRouter() {}

  public static Router create(Vertx vertx, Readiness readiness, PrometheusMeterRegistry registry) {
    var router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> readiness.check().onSuccess(result -> ctx.response()
        .setStatusCode(result.getBoolean("ready") ? 200 : 503)
        .putHeader("Content-Type", "application/json")
        .end(result.toBuffer())));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    return router;
  }
}
