package eu.gov.intake.http;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.Forbidden;
import eu.gov.intake.failure.IdempotencyConflict;
import eu.gov.intake.failure.IdempotencyKeyReused;
import eu.gov.intake.failure.IllegalTransition;
import eu.gov.intake.failure.ShuttingDown;
import eu.gov.intake.failure.IntakeFailure;
import eu.gov.intake.failure.InvalidApplication;
import eu.gov.intake.failure.MalformedRequest;
import eu.gov.intake.failure.NotFound;
import eu.gov.intake.failure.Overloaded;
import eu.gov.intake.failure.PayloadTooLarge;
import eu.gov.intake.failure.RateLimited;
import eu.gov.intake.failure.RequestTimeout;
import eu.gov.intake.failure.Text;
import eu.gov.intake.failure.Text.Lang;
import eu.gov.intake.failure.Unauthenticated;
import eu.gov.intake.failure.UnknownService;
import eu.gov.intake.failure.UnsupportedMediaType;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into HTTP: {@code application/problem+json} (RFC 9457). Client errors are
 * logged at DEBUG without their content, unavailability at WARN, bugs at ERROR with an opaque trace id that
 * is also the only thing the 500 body says about them.
 */
final class ProblemHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  private final ServerErrorLog serverErrors;

  ProblemHandler(ServerErrorLog serverErrors) { this.serverErrors = serverErrors; }

  @Override public void handle(RoutingContext ctx) {
    if (ctx.failure() instanceof HttpClosedException) {
      // the client hung up (or a slow one was cut off) before its request was read: nobody to answer, no bug
      LOG.debug("connection closed before {} {} was read", ctx.request().method(), ctx.request().path());
      return;
    }
    var problem = toProblem(ctx.failure(), ctx.statusCode());
    String route = ctx.request().method() + " " + ctx.request().path();
    if (problem.kind().equals("internal-error")) {
      // a bug: every one is logged, with its stack trace, under the trace id its 500 tells the client
      String traceId = RequestIds.traceId(ctx.request());
      LOG.atError().setMessage("unexpected failure on {}").addArgument(route)
          .addKeyValue("requestId", RequestIds.of(ctx.request())).addKeyValue("traceId", traceId).setCause(ctx.failure()).log();
      problem = Problem.of(500, "internal-error", new Text("an unexpected error occurred; traceId " + traceId,
          "发生意外错误；追踪编号 " + traceId));
    } else if (problem.status() >= 500) {
      String why = ctx.failure() instanceof DependencyUnavailable e ? e.dependency() + " " + e.getCause() : String.valueOf(ctx.failure());
      serverErrors.record(problem.status(), problem.kind(), route, why, RequestIds.of(ctx.request()), RequestIds.traceId(ctx.request()));
    }
    send(ctx.request(), problem, ctx.failure());
  }

  /** Framework statuses (BodyHandler's 413, the router's 404 and 405) when there is no exception to map. */
  static Problem toProblem(Throwable failure, int frameworkStatus) {
    if (failure instanceof IntakeFailure f) return toProblem(f);
    if (failure instanceof TimeoutException) {
      return Problem.of(503, "service-unavailable", new Text("the request did not complete in time, please retry",
          "请求未能及时完成，请重试")).retryAfter(Duration.ofSeconds(1));
    }
    if (fromHttpDecoder(failure)) return toProblem(null, 400);
    int status = failure == null || failure instanceof io.vertx.ext.web.handler.HttpException ? frameworkStatus : 500;
    return switch (status) {
      case 400 -> Problem.of(400, "malformed-request", new Text("the request cannot be read", "无法读取该请求"));
      case 404 -> Problem.of(404, "not-found", new Text("no such resource", "资源不存在"));
      case 405 -> Problem.of(405, "method-not-allowed", new Text("this method is not allowed here", "此处不允许该请求方法"));
      case 413 -> Problem.of(413, "payload-too-large", new Text("the request body is larger than allowed", "请求体超过允许的大小"));
      case 414 -> Problem.of(414, "uri-too-long", new Text("the request URI is longer than allowed", "请求 URI 过长"));
      case 415 -> Problem.of(415, "unsupported-media-type", new Text("send the body as application/json", "请以 application/json 发送请求体"));
      case 431 -> Problem.of(431, "headers-too-large", new Text("the request headers are larger than allowed", "请求头超过允许的大小"));
      default -> Problem.of(500, "internal-error", new Text("an unexpected error occurred", "发生意外错误"));
    };
  }

  /**
   * A body the HTTP decoder could not read (a chunk size past a long, not hex): Netty reports the client's bytes as
   * an exception of its own (a NumberFormatException), which is bad input, not a bug. Found by load-tests/hostile:
   * each was a 500 and an ERROR line with a stack trace, a log flood on demand.
   */
  private static boolean fromHttpDecoder(Throwable failure) {
    if (failure instanceof io.netty.handler.codec.DecoderException) return true;
    if (!(failure instanceof IllegalArgumentException)) return false;   // NumberFormatException among them
    // thrown while the request decoder parsed the client's bytes, not by anything that builds an answer
    var trace = failure.getStackTrace();
    for (int i = 0; i < Math.min(4, trace.length); i++) {
      if (trace[i].getClassName().equals("io.netty.handler.codec.http.HttpObjectDecoder")) return true;
    }
    return false;
  }

  /** No default branch on purpose: a new failure kind is a compile error here until its status is decided. */
  static Problem toProblem(IntakeFailure failure) {
    return switch (failure) {
      case MalformedRequest e -> Problem.of(400, "malformed-request", e.detail());
      case Unauthenticated e -> Problem.of(401, "unauthenticated", e.detail());
      case Forbidden e -> Problem.of(403, "forbidden", e.detail());
      case NotFound e -> Problem.of(404, "not-found", e.detail());
      case PayloadTooLarge e -> Problem.of(413, "payload-too-large", e.detail());
      case UnsupportedMediaType e -> Problem.of(415, "unsupported-media-type", e.detail());
      case UnknownService e -> Problem.of(422, "unknown-service", e.detail());
      case InvalidApplication e -> Problem.of(422, "invalid-application", e.detail());
      case IdempotencyConflict e -> Problem.of(409, "request-in-progress", e.detail()).retryAfter(e.retryAfter());
      case IdempotencyKeyReused e -> Problem.of(422, "idempotency-key-reused", e.detail());
      case DependencyUnavailable e -> Problem.of(503, "service-unavailable", e.detail()).retryAfter(e.retryAfter());
      case Overloaded e -> Problem.of(503, "overloaded", e.detail()).retryAfter(e.retryAfter());
      case IllegalTransition e -> Problem.of(409, "illegal-transition", e.detail());
      // the rest of a body that came too slowly is not read: the connection closes after this answer (send)
      case RequestTimeout e -> Problem.of(408, "request-timeout", e.detail());
      // the connection closes after this answer, so a client's next try opens one to another instance
      case ShuttingDown e -> Problem.of(503, "shutting-down", e.detail()).retryAfter(e.retryAfter()).header("Connection", "close");
      // IETF httpapi RateLimit fields: the policy (burst q in a window w of seconds) and what is left (r, t)
      case RateLimited e -> Problem.of(429, "rate-limited", e.detail()).retryAfter(e.retryAfter())
          .header("RateLimit-Policy", "\"client\";q=" + e.burst() + ";w=" + seconds(e.window()))
          .header("RateLimit", "\"client\";r=0;t=" + seconds(e.retryAfter()));
    };
  }

  /** The problem body; field errors for 422s that have them (an unknown service points at /serviceCode). */
  static JsonObject render(Problem problem, Throwable failure, Lang lang, String instance, String requestId) {
    var json = problem.toJson(ProblemTitles.of(problem.kind(), lang), lang, instance, requestId);
    if (failure instanceof InvalidApplication e) {
      json.put("errors", new JsonArray(e.errors().stream()
          .map(err -> new JsonObject().put("pointer", err.pointer()).put("detail", err.detail())).toList()));
    } else if (failure instanceof UnknownService e) {
      json.put("errors", new JsonArray().add(new JsonObject().put("pointer", "/serviceCode").put("detail", e.detail().in(lang))));
    }
    return json;
  }

  /** Writes the problem; also used for requests rejected before routing (413, 431, 414, 400). */
  static void send(HttpServerRequest request, Problem problem, Throwable failure) {
    var response = request.response();
    if (response.ended() || response.headWritten()) return;
    var lang = SubmissionReader.lang(request);
    String requestId = RequestIds.of(request);
    response.setStatusCode(problem.status()).putHeader("Content-Type", "application/problem+json; charset=utf-8");
    if (problem.status() == 401) response.putHeader("WWW-Authenticate", "Bearer");
    problem.retryAfter().ifPresent(after -> response.putHeader("Retry-After", Long.toString(seconds(after))));
    problem.headers().forEach(response::putHeader);
    // Answered before the body was read (401, 408, 413, 503 at admission): the connection closes once the answer is
    // out, rather than reading a body nobody wants to find where a next request would start. Vert.x keeps a
    // connection whose request has not ended open even when the answer says so, so it is closed here.
    boolean unread = !request.isEnded() && announcesBody(request);
    if (unread) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
      BodyChunks.releaseOnClose(request);
    }
    var written = response.end(render(problem, failure, lang, request.path(), requestId).toBuffer());
    if (unread) written.onComplete(done -> request.connection().close());
  }

  /** A bodiless request (a GET) may not have ended when it is answered at once: it has nothing left to read. */
  private static boolean announcesBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !length.strip().equals("0"));
  }

  /** Whole seconds, rounded up and at least 1: a client that waits that long finds what it waits for. */
  static long seconds(Duration duration) { return Math.max(1, (duration.toMillis() + 999) / 1000); }

  /**
   * Requests the HTTP decoder refused (headers over the limit, an over-long URI, garbage): answered as problems
   * too, with an X-Request-Id, before the server closes the connection.
   */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = cause instanceof TooLongFrameException
        ? (String.valueOf(cause.getMessage()).contains("URI") || String.valueOf(cause.getMessage()).contains("line") ? 414 : 431)
        : 400;
    send(request, toProblem(null, status), null);
  }
}
