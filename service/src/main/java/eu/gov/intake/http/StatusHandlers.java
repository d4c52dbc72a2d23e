package eu.gov.intake.http;

import eu.gov.intake.ledger.Statuses;
import eu.gov.intake.submission.RequestJson;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/applications/{id}} and {@code POST /v1/applications/{id}/status} (contract section 3). */
final class StatusHandlers {
  private final Statuses statuses;

  StatusHandlers(Statuses statuses) { this.statuses = statuses; }

  void read(RoutingContext ctx) {
    statuses.read(SubmissionReader.apiKey(ctx.request()), ctx.pathParam("id"))
        .onSuccess(view -> ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
            .putHeader("Cache-Control", "no-store").end(view.toJson().toBuffer()))
        .onFailure(ctx::fail);
  }

  void change(RoutingContext ctx) {
    try {
      var request = ctx.request();
      SubmissionReader.requireJson(request);
      byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      var change = new Statuses.ChangeRequest(SubmissionReader.apiKey(request), ctx.pathParam("id"),
          IdempotencyKeyHeader.parse(request.getHeader("Idempotency-Key")), RequestJson.parse(body));
      statuses.change(change)
          .onSuccess(answer -> {
            var response = ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json; charset=utf-8");
            if (answer.replayed()) response.putHeader("Idempotent-Replayed", "true");
            response.end(answer.encoded());
          })
          .onFailure(ctx::fail);
    } catch (RuntimeException e) {
      ctx.fail(e);
    }
  }
}
