package eu.gov.intake.http;

import eu.gov.intake.admission.BodyBudget;
import eu.gov.intake.admission.ClientShares;
import eu.gov.intake.admission.InFlightLimit;
import eu.gov.intake.auth.ApiKeys;
import eu.gov.intake.failure.Overloaded;
import eu.gov.intake.failure.RequestTimeout;
import eu.gov.intake.metrics.IntakeMeters;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Runs on the headers alone, before a byte of the body is read: a request that cannot be admitted costs no
 * buffering and no Redis or Kafka work. In order: the API key (401, and the connection closed rather than the
 * body read, so that an unauthenticated client cannot hold anything), a slot of the in-flight bound, the
 * client's share of slots and bytes ({@link ClientShares}), the body's bytes from the {@link BodyBudget} (all three
 * 503 {@code overloaded}), and a deadline on reading the body (408). The
 * submission authenticates the key again later; that lookup is a hit in the key cache this one just filled.
 */
final class AdmissionHandler implements Handler<RoutingContext> {
  private final Vertx vertx;
  private final ApiKeys apiKeys;
  private final InFlightLimit limit;
  private final BodyBudget bodies;
  private final ClientShares shares;
  private final long bodyLimit;
  private final Duration bodyTimeout;
  private final IntakeMeters meters;

  AdmissionHandler(Vertx vertx, ApiKeys apiKeys, InFlightLimit limit, BodyBudget bodies, ClientShares shares, long bodyLimit,
                   Duration bodyTimeout, IntakeMeters meters) {
    this.shares = shares;
    this.vertx = vertx;
    this.apiKeys = apiKeys;
    this.limit = limit;
    this.bodies = bodies;
    this.bodyLimit = bodyLimit;
    this.bodyTimeout = bodyTimeout;
    this.meters = meters;
  }

  @Override public void handle(RoutingContext ctx) {
    var request = ctx.request().pause();   // the BodyHandler resumes it once the request is admitted
    apiKeys.authenticate(SubmissionReader.apiKey(request))
        .onSuccess(caller -> admit(ctx, request, caller.clientId()))
        .onFailure(e -> refuse(ctx, e));
  }

  private void admit(RoutingContext ctx, HttpServerRequest request, String client) {
    // the client hung up while its key was looked up: an end handler added now would never run, and what it was to
    // give back (the slot, the bytes) would be lost for good
    if (ctx.response().closed()) {
      BodyChunks.releaseOnClose(request);
      return;
    }
    // what the body may take: its announced length (a longer one is 413 at once), else the route's limit
    long bytes = Math.min(bodyLimit, Math.max(0, request.headers().contains(HttpHeaders.CONTENT_LENGTH) ? contentLength(request) : bodyLimit));
    if (!limit.tryEnter()) {
      refuse(ctx, new Overloaded());
      return;
    }
    if (!shares.tryEnter(client, bytes)) {
      limit.leave();
      refuse(ctx, new Overloaded());
      return;
    }
    if (!bodies.tryReserve(bytes)) {
      shares.leave(client, bytes);
      limit.leave();
      refuse(ctx, new Overloaded());
      return;
    }
    long arrived = System.nanoTime();
    long deadline = vertx.setTimer(bodyTimeout.toMillis(), t -> {
      if (!request.isEnded()) {
        var timeout = new RequestTimeout();
        SubmitApplicationHandler.count(meters, timeout);
        ctx.fail(timeout);
      }
    });
    // the slot and the bytes are held until the answer is sent or the client is gone, whichever comes first
    ctx.addEndHandler(done -> {
      vertx.cancelTimer(deadline);
      limit.leave();
      shares.leave(client, bytes);
      bodies.release(bytes);
      int status = ctx.response().getStatusCode();
      meters.submissionDuration(status < 400 ? "accepted" : status < 500 ? "rejected" : "failed", System.nanoTime() - arrived);
    });
    ctx.next();
  }

  private void refuse(RoutingContext ctx, Throwable e) {
    SubmitApplicationHandler.count(meters, e);
    ctx.fail(e);   // answered without reading the body: ProblemHandler closes the connection after the answer
  }

  private static long contentLength(HttpServerRequest request) {
    try {
      return Long.parseLong(request.getHeader(HttpHeaders.CONTENT_LENGTH).strip());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;   // the decoder refuses such a request anyway; reserve as much as is allowed
    }
  }
}
