package eu.gov.intake.http;

import eu.gov.intake.catalog.Catalog;
import eu.gov.intake.metrics.IntakeMeters;
import eu.gov.intake.submission.Submissions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The API port's routes. */
public final class ApiRouter {
  private ApiRouter() {}

  public static Router create(Vertx vertx, Submissions submissions, Catalog catalog, IntakeMeters meters, int maxBodyBytes) {
    var router = Router.router(vertx);
    router.route().handler(ctx -> {
      RequestIds.of(ctx.request());  // every response carries X-Request-Id
      ctx.next();
    });
    router.post("/v1/applications")
        // BodyHandler refuses a larger Content-Length at once and stops reading a chunked body past the limit.
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(new SubmitApplicationHandler(submissions, meters));
    var catalogHandlers = new CatalogHandlers(catalog);
    router.get("/v1/departments").handler(catalogHandlers::departments);
    router.get("/v1/services").handler(catalogHandlers::services);
    router.get("/v1/services/:code").handler(catalogHandlers::service);
    router.route().failureHandler(new ProblemHandler());
    router.errorHandler(404, ctx -> ProblemHandler.send(ctx.request(), ProblemHandler.toProblem(null, 404)));
    router.errorHandler(405, ctx -> ProblemHandler.send(ctx.request(), ProblemHandler.toProblem(null, 405)));
    return router;
  }

  /** Limits that apply before any route runs (contract section 6). */
  public static HttpServerOptions serverOptions(String host, int port) {
    return new HttpServerOptions().setHost(host).setPort(port)
        .setMaxHeaderSize(8 * 1024)
        .setIdleTimeout(60).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
        .setCompressionSupported(false);
  }
}
