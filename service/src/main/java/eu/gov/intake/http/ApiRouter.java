package eu.gov.intake.http;

import eu.gov.intake.admission.BodyBudget;
import eu.gov.intake.admission.ClientShares;
import eu.gov.intake.admission.InFlightLimit;
import eu.gov.intake.audit.ReceiptKeys;
import eu.gov.intake.auth.ApiKeys;
import eu.gov.intake.catalog.Catalog;
import eu.gov.intake.ledger.Statuses;
import eu.gov.intake.metrics.IntakeMeters;
import eu.gov.intake.submission.Submissions;
import eu.gov.intake.failure.Overloaded;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The API port: its routes, and the limits that apply before any route runs (contract sections 2 and 6). */
public final class ApiRouter {
  /** The limits of the API port; the README's configuration table has their variables. */
  public record Limits(int maxBodyBytes, int maxBatchBytes, int maxBatchItems, Duration bodyReadTimeout) {}

  private ApiRouter() {}

  public static Router create(Vertx vertx, ApiKeys apiKeys, Submissions submissions, Statuses statuses, Catalog catalog,
                              IntakeMeters meters, Limits limits, InFlightLimit inFlight, BodyBudget bodies,
                              ClientShares shares, InFlightLimit statusInFlight, Draining draining,
                              Buffer openApi, ReceiptKeys receiptKeys, ServerErrorLog serverErrors) {
    var router = Router.router(vertx);
    router.route().handler(ctx -> {
      RequestIds.of(ctx.request());  // every response carries X-Request-Id
      ctx.next();
    });
    router.route().handler(new Framing()::check);
    router.route().handler(draining::handle);
    // BodyHandler answers 413 at once to a Content-Length over the limit, and stops a chunked body as soon as
    // it grows past it: nothing larger is ever buffered.
    // Admission first, on its own route: Vert.x wants the BodyHandler first among a route's handlers.
    router.post("/v1/applications").handler(
        new AdmissionHandler(vertx, apiKeys, inFlight, bodies, shares, limits.maxBodyBytes(), limits.bodyReadTimeout(), meters));
    router.routeWithRegex(HttpMethod.POST, "/v1/applications:batch").handler(
        new AdmissionHandler(vertx, apiKeys, inFlight, bodies, shares, limits.maxBatchBytes(), limits.bodyReadTimeout(), meters));
    router.post("/v1/applications")
        .handler(BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes()))
        .handler(new SubmitApplicationHandler(submissions, meters));
    router.routeWithRegex(HttpMethod.POST, "/v1/applications:batch")      // ':' is literal here, not a path param
        .handler(BodyHandler.create(false).setBodyLimit(limits.maxBatchBytes()))
        .handler(new SubmitBatchHandler(submissions, meters, limits.maxBatchItems()));
    var statusHandlers = new StatusHandlers(statuses);
    // Status reads and changes are PostgreSQL work: bounded like submissions, so that a flood of them is shed at
    // once (503) instead of queueing on the database (on its own route: the BodyHandler wants to be first on its).
    Handler<RoutingContext> statusAdmission = ctx -> {
      if (!statusInFlight.tryEnter()) {
        ctx.fail(new Overloaded());
        return;
      }
      ctx.addEndHandler(done -> statusInFlight.leave());
      ctx.next();
    };
    router.get("/v1/applications/:id").handler(statusAdmission).handler(statusHandlers::read);
    router.post("/v1/applications/:id/status").handler(statusAdmission);
    router.post("/v1/applications/:id/status")
        .handler(BodyHandler.create(false).setBodyLimit(16 * 1024))  // a status and a note
        .handler(statusHandlers::change);
    var catalogHandlers = new CatalogHandlers(catalog);
    router.get("/v1/departments").handler(catalogHandlers::departments);
    router.get("/v1/services").handler(catalogHandlers::services);
    router.get("/v1/services/:code").handler(catalogHandlers::service);
    // public, like the catalog: anyone holding a receipt checks its signature against these (contract section 8)
    Buffer jwks = receiptKeys.jwks().toBuffer();
    router.get("/v1/receipt-keys").handler(ctx -> ctx.response().putHeader("Content-Type", "application/jwk-set+json")
        .putHeader("Cache-Control", "public, max-age=300").end(jwks));
    router.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml; charset=utf-8").end(openApi));
    router.route().failureHandler(new ProblemHandler(serverErrors));
    router.errorHandler(404, ctx -> ProblemHandler.send(ctx.request(), ProblemHandler.toProblem(null, 404), null));
    router.errorHandler(405, ctx -> ProblemHandler.send(ctx.request(), ProblemHandler.toProblem(null, 405), null));
    return router;
  }

  /**
   * Header limit (431 above 8 KiB), idle timeout, the connections' bound and header deadline, and problem answers
   * for requests the decoder refuses.
   */
  public static HttpServer server(Vertx vertx, String host, int port, ConnectionGuard connections) {
    var options = new HttpServerOptions().setHost(host).setPort(port)
        .setMaxHeaderSize(8 * 1024).setMaxInitialLineLength(4096)
        .setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setCompressionSupported(false)
        // Plain HTTP/1.1: h2c upgrades were seen to stall responses (JDK client, 19 KB body); HTTP/2 belongs
        // at the load balancer that terminates TLS.
        .setHttp2ClearTextEnabled(false);
    return vertx.createHttpServer(options).connectionHandler(connections::accepted).invalidRequestHandler(ProblemHandler::invalidRequest);
  }
}
