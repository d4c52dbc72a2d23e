package eu.gov.intake.submission;

import eu.gov.intake.auth.ApiKeys;
import eu.gov.intake.auth.Caller;
import eu.gov.intake.catalog.Catalog;
import eu.gov.intake.dedupe.Claim;
import eu.gov.intake.dedupe.Fingerprint;
import eu.gov.intake.dedupe.IdempotencyStore;
import eu.gov.intake.failure.Forbidden;
import eu.gov.intake.failure.MalformedRequest;
import eu.gov.intake.publish.Publisher;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Everything that happens to one application, in order (contract section 2). */
public final class Submissions {
  private final ApiKeys apiKeys;
  private final Catalog catalog;
  private final IdempotencyStore dedupe;
  private final Publisher publisher;
  private final Duration deadline;

  public Submissions(ApiKeys apiKeys, Catalog catalog, IdempotencyStore dedupe, Publisher publisher, Duration deadline) {
    this.apiKeys = apiKeys;
    this.catalog = catalog;
    this.dedupe = dedupe;
    this.publisher = publisher;
    this.deadline = deadline;
  }

  public Future<Answer> submit(Submission sub) {
    return apiKeys.authenticate(sub.apiKey())                                     // Unauthenticated -> 401
        .map(caller -> authorize(caller, Application.from(sub.body(), catalog::openService)))  // 422, 403
        .compose(ok -> sub.idempotencyKey().isEmpty()
            ? withoutKey(sub, ok.application())
            : dedupe.claim(ok.caller().clientId(), sub.idempotencyKey().get(), Fingerprint.of(ok.application().content()),
                    ApplicationId.next())                                       // 409 in flight, 422 other body
                .compose(claim -> claim.isReplay()
                    ? Future.succeededFuture(replay(claim))                     // a retry gets the first answer
                    : publishDurably(sub, ok.application(), claim.applicationId())
                        .compose(answer -> dedupe.complete(claim, answer.status(), answer.body()).map(answer))))
        // -> 503. The Kafka send is not cancelled and may still land: the retry reuses the applicationId.
        .timeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private record Authorized(Caller caller, Application application) {}

  private static Authorized authorize(Caller caller, Application app) {
    if (caller.kind() != Caller.Kind.CHANNEL) throw new Forbidden("a department key cannot submit applications");
    if (!caller.channels().contains(app.channel())) throw new Forbidden("this key may not submit on channel " + app.channel());
    return new Authorized(caller, app);
  }

  private Future<Answer> withoutKey(Submission sub, Application app) {
    if (app.service().idempotencyKeyRequired()) {
      return Future.failedFuture(new MalformedRequest("service " + app.service().code() + " requires an Idempotency-Key header"));
    }
    return publishDurably(sub, app, ApplicationId.next());
  }

  /** Publishes with acks=all; the answer exists only once Kafka holds the record. */
  private Future<Answer> publishDurably(Submission sub, Application app, String applicationId) {
    var receipt = new Receipt(applicationId, app.service().code(), app.service().departmentCode(), sub.receivedAt());
    var event = new Publisher.Event(applicationId, catalog.department(app.service().departmentCode()).topic(),
        app.service().code(), app.applicantType(), app.applicantId(), sub.receivedAt(), eventValue(app, receipt),
        sub.traceparent());
    return publisher.publish(event)
        .map(acked -> new Answer(202, applicationId, receipt.departmentCode(), receipt.toJson(), false));
  }

  private static Answer replay(Claim claim) {
    var stored = claim.completed().orElseThrow();
    return new Answer(stored.status(), claim.applicationId(), stored.body().getString("departmentCode"), stored.body(), true);
  }

  /** The event data a department receives: the application as submitted, with the receipt's facts. */
  private static JsonObject eventValue(Application app, Receipt receipt) {
    return receipt.toJson().put("channel", app.channel())
        .put("applicant", new JsonObject().put("type", app.applicantType()).put("id", app.applicantId()))
        .put("payload", app.payload());
  }
}
