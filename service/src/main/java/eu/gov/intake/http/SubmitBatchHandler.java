package eu.gov.intake.http;

import eu.gov.intake.metrics.IntakeMeters;
import eu.gov.intake.submission.Outcome;
import eu.gov.intake.submission.Submissions;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /v1/applications:batch} (contract section 2.1): each item is a single submission; the answer lists
 * every item's status in order, 200 when all were accepted or replayed, else 207. Only a bad envelope fails
 * the whole batch.
 */
final class SubmitBatchHandler implements Handler<RoutingContext> {
  private final Submissions submissions;
  private final IntakeMeters meters;
  private final int maxItems;

  SubmitBatchHandler(Submissions submissions, IntakeMeters meters, int maxItems) {
    this.submissions = submissions;
    this.meters = meters;
    this.maxItems = maxItems;
  }

  @Override public void handle(RoutingContext ctx) {
    try {
      submissions.submitAll(SubmissionReader.batch(ctx, maxItems))
          .onSuccess(outcomes -> respond(ctx, outcomes))
          .onFailure(e -> fail(ctx, e));
    } catch (RuntimeException e) {
      fail(ctx, e);
    }
  }

  /** A batch refused as a whole (401, 429, 400, ...) counts once. */
  private void fail(RoutingContext ctx, Throwable e) {
    SubmitApplicationHandler.count(meters, e);
    ctx.fail(e);
  }

  private void respond(RoutingContext ctx, List<Outcome> outcomes) {
    var lang = SubmissionReader.lang(ctx.request());
    var results = new JsonArray();
    boolean allDone = true;
    for (int i = 0; i < outcomes.size(); i++) {
      var outcome = outcomes.get(i);
      var result = new JsonObject().put("index", i);
      if (outcome.answer().isPresent()) {
        var answer = outcome.answer().get();
        SubmitApplicationHandler.count(meters, answer);
        result.put("status", answer.status()).put("applicationId", answer.applicationId()).put("replayed", answer.replayed())
            .put("receipt", answer.body());
      } else {
        var failure = outcome.failure().orElseThrow();
        SubmitApplicationHandler.count(meters, failure);
        var problem = ProblemHandler.toProblem(failure, 500);
        result.put("status", problem.status())
            .put("problem", ProblemHandler.render(problem, failure, lang, ctx.request().path() + "#/items/" + i, RequestIds.of(ctx.request())));
        allDone = false;
      }
      results.add(result);
    }
    ctx.response().setStatusCode(allDone ? 200 : 207).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("results", results).toBuffer());
  }
}
