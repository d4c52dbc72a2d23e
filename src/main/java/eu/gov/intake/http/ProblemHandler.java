package eu.gov.intake.http;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.Forbidden;
import eu.gov.intake.failure.IdempotencyConflict;
import eu.gov.intake.failure.IdempotencyKeyReused;
import eu.gov.intake.failure.IntakeFailure;
import eu.gov.intake.failure.InvalidApplication;
import eu.gov.intake.failure.MalformedRequest;
import eu.gov.intake.failure.NotFound;
import eu.gov.intake.failure.Unauthenticated;
import eu.gov.intake.failure.UnknownService;
import eu.gov.intake.failure.UnsupportedMediaType;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into HTTP: {@code application/problem+json} (RFC 9457). Client errors are
 * logged at WARN without their content, server errors at ERROR with an opaque trace id that is also the
 * only thing the 500 body says about them.
 */
final class ProblemHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  @Override public void handle(RoutingContext ctx) {
    var problem = toProblem(ctx.failure(), ctx.statusCode());
    if (problem.status() >= 500 && problem.kind().equals("internal-error")) {
      String traceId = UUID.randomUUID().toString();
      LOG.error("unexpected failure on {} {} (traceId {})", ctx.request().method(), ctx.currentRoute() == null
          ? "?" : ctx.currentRoute().getPath(), traceId, ctx.failure());
      problem = Problem.of(500, "internal-error", "an unexpected error occurred; traceId " + traceId);
    } else if (problem.status() >= 500) {
      LOG.warn("{} answered {} {}: {}", ctx.request().path(), problem.status(), problem.kind(),
          ctx.failure() == null || ctx.failure().getCause() == null ? "-" : ctx.failure().getCause().toString());
    }
    send(ctx.request(), problem);
  }

  static Problem toProblem(Throwable failure, int frameworkStatus) {
    if (failure instanceof IntakeFailure f) return toProblem(f);
    if (failure instanceof TimeoutException) {
      return Problem.of(503, "service-unavailable", "the request did not complete in time, please retry")
          .retryAfter(Duration.ofSeconds(1));
    }
    return switch (failure == null ? frameworkStatus : -1) {
      case 400 -> Problem.of(400, "malformed-request", "the request cannot be read");
      case 404 -> Problem.of(404, "not-found", "no such resource");
      case 405 -> Problem.of(405, "method-not-allowed", "this method is not allowed here");
      case 413 -> Problem.of(413, "payload-too-large", "the request body is larger than allowed");
      case 415 -> Problem.of(415, "unsupported-media-type", "send the body as application/json");
      case 431 -> Problem.of(431, "headers-too-large", "the request headers are larger than allowed");
      default -> Problem.of(500, "internal-error", "an unexpected error occurred");
    };
  }

  /** No default branch on purpose: a new failure kind is a compile error here until its status is decided. */
  static Problem toProblem(IntakeFailure failure) {
    return switch (failure) {
      case MalformedRequest e -> Problem.of(400, "malformed-request", e.getMessage());
      case Unauthenticated e -> Problem.of(401, "unauthenticated", e.getMessage());
      case Forbidden e -> Problem.of(403, "forbidden", e.getMessage());
      case NotFound e -> Problem.of(404, "not-found", e.getMessage());
      case UnsupportedMediaType e -> Problem.of(415, "unsupported-media-type", e.getMessage());
      case UnknownService e -> Problem.of(422, "unknown-service", e.getMessage())
          .withErrors(new JsonArray().add(new JsonObject().put("pointer", "/serviceCode").put("detail", e.getMessage())));
      case InvalidApplication e -> Problem.of(422, "invalid-application", e.getMessage()).withErrors(new JsonArray(
          e.errors().stream().map(err -> new JsonObject().put("pointer", err.pointer()).put("detail", err.detail())).toList()));
      case IdempotencyConflict e -> Problem.of(409, "request-in-progress", e.getMessage()).retryAfter(e.retryAfter());
      case IdempotencyKeyReused e -> Problem.of(422, "idempotency-key-reused", e.getMessage());
      case DependencyUnavailable e -> Problem.of(503, "service-unavailable", e.getMessage()).retryAfter(e.retryAfter());
    };
  }

  /** Writes the problem; also used for rejections that happen before routing (413, 431). */
  static void send(HttpServerRequest request, Problem problem) {
    var response = request.response();
    if (response.ended() || response.headWritten()) return;
    boolean english = String.valueOf(request.getHeader("Accept-Language")).toLowerCase(java.util.Locale.ROOT).startsWith("en");
    String requestId = RequestIds.of(request);
    response.setStatusCode(problem.status())
        .putHeader("Content-Type", "application/problem+json; charset=utf-8");
    if (problem.status() == 401) response.putHeader("WWW-Authenticate", "Bearer");
    problem.retryAfter().ifPresent(after -> response.putHeader("Retry-After", Long.toString(Math.max(1, (after.toMillis() + 999) / 1000))));
    response.end(problem.toJson(ProblemTitles.of(problem.kind(), english), request.path(), requestId).toBuffer());
  }
}
