package eu.gov.intake.submission;

import eu.gov.intake.admission.RateLimiter;
import eu.gov.intake.audit.ReceiptSigner;
import eu.gov.intake.auth.ApiKeys;
import eu.gov.intake.auth.Caller;
import eu.gov.intake.catalog.Catalog;
import eu.gov.intake.dedupe.Canonical;
import eu.gov.intake.dedupe.Claim;
import eu.gov.intake.dedupe.IdempotencyStore;
import eu.gov.intake.failure.Forbidden;
import eu.gov.intake.failure.InvalidApplication;
import eu.gov.intake.failure.MalformedRequest;
import eu.gov.intake.failure.PayloadTooLarge;
import eu.gov.intake.failure.RateLimited;
import eu.gov.intake.failure.UnknownService;
import eu.gov.intake.ledger.RecentlyAccepted;
import eu.gov.intake.publish.Delivery;
import eu.gov.intake.publish.Event;
import eu.gov.intake.publish.Publisher;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Everything that happens to an application, in order (contract sections 2 and 2.1). */
public final class Submissions {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Submissions.class);

  private final ApiKeys apiKeys;
  private final Catalog catalog;
  private final IdempotencyStore dedupe;
  private final Publisher publisher;
  private final Delivery delivery;
  private final RecentlyAccepted recent;
  private final RateLimiter rateLimiter;
  private final ReceiptSigner receipts;
  private final Duration deadline;

  public Submissions(ApiKeys apiKeys, RateLimiter rateLimiter, Catalog catalog, IdempotencyStore dedupe, Publisher publisher,
                     Delivery delivery, RecentlyAccepted recent, ReceiptSigner receipts, Duration deadline) {
    this.receipts = receipts;
    this.apiKeys = apiKeys;
    this.rateLimiter = rateLimiter;
    this.catalog = catalog;
    this.dedupe = dedupe;
    this.publisher = publisher;
    this.delivery = delivery;
    this.recent = recent;
    this.deadline = deadline;
  }

  /** One application: its answer, or the failure that becomes the problem response. */
  public Future<Answer> submit(Submission sub) {
    return apiKeys.authenticate(sub.apiKey())                                    // 401
        // its token is taken with the claim, in one Redis round trip (429)
        .compose(caller -> process(caller, sub.items().get(0), sub, Optional.of(rateLimiter.bucket(caller)))
            .recover(e -> refusedBeforeClaim(e) ? spendToken(caller, e) : Future.failedFuture(e)))
        // Past the deadline the client gets 503; the steps below are bounded by it too (see publishDurably).
        .timeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * A batch: every item goes through exactly the single path. Different applicants' items go all at once, so their
   * Redis claims and Kafka sends go out together (the producer batches them); one applicant's go one after
   * another, in item order, so that they reach the department's topic in that order (contract section 5).
   */
  public Future<List<Outcome>> submitAll(Submission sub) {
    return apiKeys.authenticate(sub.apiKey())
        .compose(caller -> limit(caller, sub.items().size()))                    // 429 for the whole batch
        .compose(caller -> {
          var lastOfApplicant = new java.util.HashMap<String, Future<Outcome>>();
          var outcomes = new java.util.ArrayList<Future<Outcome>>(sub.items().size());
          for (var item : sub.items()) {
            Future<Outcome> before = lastOfApplicant.getOrDefault(applicantOf(item), Future.succeededFuture());
            // past the deadline the batch was answered 503: an item still waiting for its turn is not started
            Future<Outcome> outcome = before.transform(done -> Instant.now().isAfter(sub.receivedAt().plus(deadline))
                ? Future.succeededFuture(Outcome.of(new java.util.concurrent.TimeoutException("the batch's deadline passed")))
                : process(caller, item, sub, Optional.empty()).map(Outcome::of).otherwise(Outcome::of));
            lastOfApplicant.put(applicantOf(item), outcome);
            outcomes.add(outcome);
          }
          return Future.join(outcomes).map(all -> all.<Outcome>list());
        })
        .timeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** What decides an item's Kafka key, as sent (an item without one fails validation on its own). */
  private static String applicantOf(Submission.Item item) {
    var applicant = item.body().path("applicant");
    return applicant.path("type").asText() + "\0" + applicant.path("id").asText();
  }

  /**
   * One token per application, from the client's bucket shared by all instances; a batch takes them at once. A
   * batch larger than the client's burst could never find its tokens in the bucket: refused as too large (413),
   * rather than let through into debt or answered 429 for ever.
   */
  private Future<Caller> limit(Caller caller, int applications) {
    if (applications > caller.burst()) {
      return Future.failedFuture(new PayloadTooLarge(
          "this batch of " + applications + " items is more than this client's burst of " + caller.burst() + ": send at most "
              + caller.burst() + " at a time",
          "该批次含 " + applications + " 项，超过本客户端的突发上限 " + caller.burst() + "：每次最多发送 " + caller.burst() + " 项"));
    }
    return rateLimiter.take(caller, applications).map(caller);
  }

  /** Refused while being read, validated or authorized: before the claim script could take its token. */
  private static boolean refusedBeforeClaim(Throwable e) {
    return e instanceof MalformedRequest || e instanceof InvalidApplication || e instanceof UnknownService
        || e instanceof PayloadTooLarge || e instanceof Forbidden;
  }

  /**
   * A refused request still costs its client a token, so that a client over its limit cannot keep the instance
   * parsing and validating: 429 once the bucket is empty, else the refusal itself. Only refused requests pay
   * this extra round trip; an accepted one takes its token in the claim script.
   */
  private Future<Answer> spendToken(Caller caller, Throwable refusal) {
    return rateLimiter.take(caller, 1).transform(taken -> Future.failedFuture(
        taken.failed() && taken.cause() instanceof RateLimited ? taken.cause() : refusal));
  }

  /** {@code token}: the bucket to take this application's token from, unless a batch took them already. */
  private Future<Answer> process(Caller caller, Submission.Item item, Submission sub, Optional<RateLimiter.Bucket> token) {
    Application app;
    try {
      app = authorize(caller, Application.from(item, catalog::openService, sub.lang()));  // 422, 413, 403
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (item.idempotencyKey().isPresent()) {
      var request = Canonical.of(withoutKey(item));                            // written once: fingerprint and event
      return dedupe.claimKey(caller.clientId(), item.idempotencyKey().get(), request, sub.receivedAt(), token)
          .compose(claim -> publishOnce(caller, claim, app, sub, request));      // 409 in flight, 422 other body
    }
    if (app.service().idempotencyKeyRequired()) {
      return Future.failedFuture(new MalformedRequest("service " + app.service().code() + " requires an Idempotency-Key",
          "事项 " + app.service().code() + " 要求提供 Idempotency-Key"));
    }
    var content = Canonical.of(app.content());
    if (app.service().dedupeWindowSeconds() == 0) {                               // content dedupe switched off
      return token.map(bucket -> rateLimiter.take(bucket, 1)).orElse(Future.succeededFuture())
          .compose(taken -> publishDurably(caller, app, ApplicationId.next(), sub.receivedAt(), sub, content))
          .compose(durable -> noted(durable, Future.succeededFuture(), sub));
    }
    return dedupe.claimContent(caller.clientId(), content, ApplicationId.next(), sub.receivedAt(),
            Duration.ofSeconds(app.service().dedupeWindowSeconds()), token)
        .compose(claim -> publishOnce(caller, claim, app, sub, content));
  }

  private static Application authorize(Caller caller, Application app) {
    if (caller.kind() != Caller.Kind.CHANNEL) {
      throw new Forbidden("a department key cannot submit applications", "部门密钥不能提交申请");
    }
    if (!caller.mayUse(app.service().code())) {
      throw new Forbidden("this key may not submit to service " + app.service().code(), "该密钥不能提交事项 " + app.service().code());
    }
    if (!caller.channels().contains(app.channel())) {
      throw new Forbidden("this key may not submit on channel " + app.channel(), "该密钥不能通过渠道 " + app.channel() + " 提交");
    }
    return app;
  }

  /**
   * A replay answers what the first attempt answered; otherwise publish, then record the answer or free the lease.
   * The event carries the claim's id and receivedAt, those of the first attempt: a takeover publishes the same event.
   * An attempt whose lease was taken over meanwhile is not refused: its event is durable and is the one the
   * newer attempt publishes, so its receipt is the same but for the signature.
   */
  private Future<Answer> publishOnce(Caller caller, Claim claim, Application app, Submission sub, Canonical written) {
    if (claim.isReplay()) {
      var stored = claim.completed().orElseThrow();
      return Future.succeededFuture(new Answer(stored.status(), claim.applicationId(),
          stored.body().getString("departmentCode"), stored.body(), true));
    }
    return publishDurably(caller, app, claim.applicationId(), claim.receivedAt(), sub, written)
        .compose(durable -> noted(durable, dedupe.complete(claim, 202, durable.answer().encoded()).mapEmpty(), sub))  // only when durable
        .recover(e -> dedupe.release(claim).transform(released -> Future.<Answer>failedFuture(e)));
  }

  /** An application made durable, and how. */
  private record Durable(Answer answer, Delivery.Route route, String clientId, Receipt receipt) {}

  /**
   * Makes the application durable (Kafka with acks=all, or the spool) within what is left of the deadline, so
   * that a dead broker frees the lease in time for the client's retry. A send that timed out is not cancelled
   * and may still land: a retry or the relay then publishes a twin with the same applicationId (ce_id).
   * {@code written}: the request or the content in canonical form, whose applicant and payload the event takes.
   */
  private Future<Durable> publishDurably(Caller caller, Application app, String applicationId, Instant receivedAt, Submission sub,
                                         Canonical written) {
    var receipt = new Receipt(applicationId, app.service().code(), app.service().departmentCode(), receivedAt);
    var event = Event.submitted(applicationId, catalog.department(app.service().departmentCode()).topic(),
        publisher.applicantKey(app.applicantType(), app.applicantId()), app.service().code(), receivedAt,
        Buffer.buffer(receipt.event(app, caller.clientId(), written)), sub.traceparent());
    // signed while it is made durable: the receipt is the same whichever way it goes, and is only given with the 202
    Future<JsonObject> signed = receipts.signed(receipt.toJson());
    return delivery.deliver(event, sub.receivedAt().plus(deadline))
        .compose(route -> signed.map(body -> new Durable(new Answer(202, applicationId, receipt.departmentCode(), body, false),
            route, caller.clientId(), receipt)));
  }

  /**
   * The answer once the idempotency record is complete and, for an application that went to Kafka, Redis notes
   * it for status reads until the ledger has it (a spooled one is found in the spool): both in one round trip.
   */
  private Future<Answer> noted(Durable durable, Future<Void> completed, Submission sub) {
    var receipt = durable.receipt();
    // best effort: the application is durable already, and a 503 now would make its client send it again
    Future<Void> remembered = durable.route() == Delivery.Route.SPOOL ? Future.succeededFuture()
        : recent.remember(receipt.applicationId(), receipt.serviceCode(), receipt.departmentCode(), durable.clientId(),
            receipt.receivedAt().toString())
            .otherwise(e -> {
              LOG.atWarn().setMessage("status note not written, reads wait for the ledger: {}").addArgument(e.toString())
                  .addKeyValue("requestId", sub.requestId()).addKeyValue("traceId", sub.traceId().orElse(null)).log();
              return null;
            });
    return Future.all(completed, remembered).map(durable.answer());
  }

  /** The request as the client sent it, less the batch item's own key member, is what a key stands for. */
  private static com.fasterxml.jackson.databind.JsonNode withoutKey(Submission.Item item) {
    if (!item.body().has("idempotencyKey")) return item.body();
    var copy = item.body().deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("idempotencyKey");
    return copy;
  }
}
