package eu.gov.intake.http;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.IntakeFailure;
import eu.gov.intake.failure.MalformedRequest;
import eu.gov.intake.failure.UnsupportedMediaType;
import eu.gov.intake.metrics.IntakeMeters;
import eu.gov.intake.metrics.IntakeMeters.Outcome;
import eu.gov.intake.submission.Answer;
import eu.gov.intake.submission.Submission;
import eu.gov.intake.submission.Submissions;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/** {@code POST /v1/applications}: translates between HTTP and a {@link Submission}, and does nothing else. */
final class SubmitApplicationHandler implements Handler<RoutingContext> {
  private final Submissions submissions;
  private final IntakeMeters meters;

  SubmitApplicationHandler(Submissions submissions, IntakeMeters meters) {
    this.submissions = submissions;
    this.meters = meters;
  }

  @Override public void handle(RoutingContext ctx) {
    Submission submission;
    try {
      submission = read(ctx);
    } catch (IntakeFailure e) {
      meters.submission(Outcome.REJECTED, "none");
      ctx.fail(e);
      return;
    }
    submissions.submit(submission)
        .onSuccess(answer -> {
          meters.submission(answer.replayed() ? Outcome.REPLAYED : Outcome.ACCEPTED, answer.departmentCode());
          respond(ctx, answer);
        })
        .onFailure(e -> {
          meters.submission(outcomeOf(e), "none");
          ctx.fail(e);
        });
  }

  private static Submission read(RoutingContext ctx) {
    var request = ctx.request();
    String contentType = request.getHeader("Content-Type");
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      throw new UnsupportedMediaType("send the application as Content-Type: application/json");
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new MalformedRequest("the body is not a JSON object");
    }
    if (body == null) throw new MalformedRequest("the body is empty");
    String authorization = request.getHeader("Authorization");
    String apiKey = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).strip() : null;
    return new Submission(apiKey, IdempotencyKeyHeader.parse(request.getHeader("Idempotency-Key")), body,
        Optional.ofNullable(request.getHeader("traceparent")), Instant.now());
  }

  private static void respond(RoutingContext ctx, Answer answer) {
    var response = ctx.response().setStatusCode(answer.status())
        .putHeader("Content-Type", "application/json; charset=utf-8");
    if (answer.status() == 202) response.putHeader("Location", "/v1/applications/" + answer.applicationId());
    if (answer.replayed()) response.putHeader("Idempotent-Replayed", "true");
    response.end(answer.body().toBuffer());
  }

  private static Outcome outcomeOf(Throwable e) {
    if (e instanceof DependencyUnavailable || e instanceof TimeoutException) return Outcome.UNAVAILABLE;
    return e instanceof IntakeFailure ? Outcome.REJECTED : Outcome.FAILED;
  }
}
