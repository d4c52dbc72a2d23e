package eu.gov.intake.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import eu.gov.intake.admission.RateLimiter;
import eu.gov.intake.auth.ApiKeys;
import eu.gov.intake.auth.Caller;
import eu.gov.intake.dedupe.Canonical;
import eu.gov.intake.dedupe.Claim;
import eu.gov.intake.dedupe.IdempotencyStore;
import eu.gov.intake.failure.Forbidden;
import eu.gov.intake.failure.MalformedRequest;
import eu.gov.intake.failure.NotFound;
import eu.gov.intake.publish.Event;
import eu.gov.intake.publish.Spool;
import eu.gov.intake.submission.Answer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Status reads and changes (contract section 3). A read finds the application in the ledger or, while the
 * ledger catches up, in the spool or in Redis's note of recent acceptances; whoever may not see it gets 404,
 * as if it did not exist. A change is checked against the lifecycle and committed with its event in one
 * transaction (the spool is its outbox), then the relay publishes it to {@code intake.status}.
 */
public final class Statuses {
  private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final int MAX_NOTE = 2000;

  /** A change as the client asked for it. */
  public record ChangeRequest(String apiKey, String applicationId, Optional<String> idempotencyKey, JsonNode body) {}

  private final ApiKeys apiKeys;
  private final RateLimiter rateLimiter;
  private final LedgerStore ledger;
  private final Spool spool;
  private final RecentlyAccepted recent;
  private final IdempotencyStore dedupe;
  private final Runnable publishSoon;
  private final Duration deadline;

  public Statuses(ApiKeys apiKeys, RateLimiter rateLimiter, LedgerStore ledger, Spool spool, RecentlyAccepted recent,
                  IdempotencyStore dedupe, Runnable publishSoon, Duration deadline) {
    this.apiKeys = apiKeys;
    this.rateLimiter = rateLimiter;
    this.ledger = ledger;
    this.spool = spool;
    this.recent = recent;
    this.dedupe = dedupe;
    this.publishSoon = publishSoon;
    this.deadline = deadline;
  }

  public Future<ApplicationView> read(String apiKey, String applicationId) {
    return apiKeys.authenticate(apiKey)                                          // 401
        .compose(this::limit)                                                    // 429
        .compose(caller -> findVisibleTo(caller, applicationId))                 // 404
        .timeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Future<Answer> change(ChangeRequest request) {
    return apiKeys.authenticate(request.apiKey())
        .compose(this::limit)
        .compose(caller -> {
          Status to = requestedStatus(request.body());                           // 400
          Optional<String> note = note(request.body());
          String key = request.idempotencyKey().orElseThrow(() -> new MalformedRequest(
              "a status change requires an Idempotency-Key header", "状态变更须提供 Idempotency-Key 请求头"));
          return findVisibleTo(caller, request.applicationId())                  // 404
              .compose(view -> {
                authorize(caller, to);                                           // 403
                // the claim's id and time (to the microsecond, as PostgreSQL keeps it) are the change's event id and
                // time, the same on a retry
                return dedupe.claimKey(caller.clientId(), key, Canonical.of(fingerprint(request)),
                        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS), Optional.empty())
                    .compose(claim -> claim.isReplay() ? replay(claim, view)
                        : apply(claim, view, new LedgerStore.StatusChanged(claim.applicationId(), view.applicationId(), to, note,
                            claim.receivedAt(), caller.clientId())));
              });
        })
        .timeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Future<Caller> limit(Caller caller) {
    return rateLimiter.take(caller, 1).map(caller);
  }

  /** The owning department may make any change the lifecycle allows; the submitting client may only withdraw. */
  private static void authorize(Caller caller, Status to) {
    if (caller.kind() == Caller.Kind.CHANNEL && to != Status.WITHDRAWN) {
      throw new Forbidden("the submitting client may only withdraw an application", "提交方只能撤回申请");
    }
  }

  /** The claim's id is the change's event id (ce_id), so a retry after a crash reuses it. */
  private Future<Answer> apply(Claim claim, ApplicationView view, LedgerStore.StatusChanged change) {
    var event = Event.statusChanged(change.eventId(), change.applicationId(), change.at(), change.toJson().toBuffer());
    return ledger.change(view, change, event)                                    // 409 if not legal now
        .onSuccess(changed -> publishSoon.run())
        .map(changed -> new Answer(200, changed.applicationId(), changed.departmentCode(), changed.toJson(), false))
        .compose(answer -> dedupe.complete(claim, answer.status(), answer.encoded()).map(answer))
        .recover(e -> dedupe.release(claim).transform(released -> Future.<Answer>failedFuture(e)));
  }

  private static Future<Answer> replay(Claim claim, ApplicationView view) {
    var stored = claim.completed().orElseThrow();
    return Future.succeededFuture(new Answer(stored.status(), view.applicationId(), view.departmentCode(), stored.body(), true));
  }

  private Future<ApplicationView> findVisibleTo(Caller caller, String applicationId) {
    var notFound = new NotFound("no application " + applicationId + " that this key may see", "不存在该密钥可查看的申请 " + applicationId);
    if (!UUID_TEXT.matcher(applicationId).matches()) return Future.failedFuture(notFound);
    return ledger.find(applicationId)
        .compose(found -> found.isPresent() ? Future.succeededFuture(found) : spooled(applicationId))
        .compose(found -> found.isPresent() ? Future.succeededFuture(found) : recent.find(applicationId))
        .compose(found -> found.filter(view -> visible(caller, view)).map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(notFound)));
  }

  private Future<Optional<ApplicationView>> spooled(String applicationId) {
    return spool.submitted(applicationId).map(value -> value.map(v -> ApplicationView.justAccepted(new JsonObject(v))));
  }

  private static boolean visible(Caller caller, ApplicationView view) {
    return switch (caller.kind()) {
      case CHANNEL -> caller.clientId().equals(view.clientId());
      case DEPARTMENT -> caller.departmentCode().map(view.departmentCode()::equals).orElse(false);
    };
  }

  private static Status requestedStatus(JsonNode body) {
    JsonNode status = body.get("status");
    if (!body.isObject() || status == null || !status.isTextual()) {
      throw new MalformedRequest("the body is {\"status\": ..., \"note\": ...}", "请求体须为 {\"status\": ..., \"note\": ...}");
    }
    try {
      return Status.valueOf(status.asText());
    } catch (IllegalArgumentException e) {
      throw new MalformedRequest("unknown status " + status.asText(), "未知状态 " + status.asText());
    }
  }

  private static Optional<String> note(JsonNode body) {
    JsonNode note = body.get("note");
    if (note == null || note.isNull()) return Optional.empty();
    if (!note.isTextual() || note.asText().length() > MAX_NOTE) {
      throw new MalformedRequest("note must be a string of at most " + MAX_NOTE + " characters",
          "note 须为不超过 " + MAX_NOTE + " 个字符的字符串");
    }
    // PostgreSQL text cannot hold U+0000: refused here as the client's mistake, not met in the ledger as an outage
    if (note.asText().indexOf('\u0000') >= 0) {
      throw new MalformedRequest("note must not contain the character U+0000", "note 不得包含 U+0000 字符");
    }
    return Optional.of(note.asText());
  }

  /** A key stands for one change of one application: the same key on another application is a different request. */
  private static com.fasterxml.jackson.databind.JsonNode fingerprint(ChangeRequest request) {
    var node = JsonNodeFactory.instance.objectNode();
    node.put("applicationId", request.applicationId());
    node.set("change", request.body());
    return node;
  }
}
