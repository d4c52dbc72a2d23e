package eu.gov.intake.http;

import eu.gov.intake.metrics.IntakeMeters;
import eu.gov.intake.submission.Answer;
import eu.gov.intake.submission.Submissions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /v1/applications}: translates between HTTP and a submission, and does nothing else. */
final class SubmitApplicationHandler implements Handler<RoutingContext> {
  private final Submissions submissions;
  private final IntakeMeters meters;

  SubmitApplicationHandler(Submissions submissions, IntakeMeters meters) {
    this.submissions = submissions;
    this.meters = meters;
  }

  @Override public void handle(RoutingContext ctx) {
    try {
      submissions.submit(SubmissionReader.single(ctx))                 // reading throws 400 / 415
          .onSuccess(answer -> {
            count(meters, answer);
            respond(ctx.response(), answer).end(answer.encoded());
          })
          .onFailure(e -> fail(ctx, e));
    } catch (RuntimeException e) {
      fail(ctx, e);
    }
  }

  private void fail(RoutingContext ctx, Throwable e) {
    count(meters, e);
    ctx.fail(e);                                                         // ProblemHandler renders it
  }

  static void count(IntakeMeters meters, Answer answer) {
    meters.submission(answer.replayed() ? "replayed" : "accepted", answer.departmentCode());
  }

  /** Rejections are counted by problem kind: a closed set, like the statuses. */
  static void count(IntakeMeters meters, Throwable failure) {
    meters.submission(ProblemHandler.toProblem(failure, 500).kind(), "none");
  }

  static HttpServerResponse respond(HttpServerResponse response, Answer answer) {
    response.setStatusCode(answer.status()).putHeader("Content-Type", "application/json; charset=utf-8");
    if (answer.status() == 202) response.putHeader("Location", "/v1/applications/" + answer.applicationId());
    if (answer.replayed()) response.putHeader("Idempotent-Replayed", "true");
    return response;
  }
}
