package eu.gov.intake.ledger;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.DependencyUnavailable.Dependency;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.Optional;

/**
 * A short-lived note in Redis of each application accepted through Kafka, written before its 202: a status
 * read right after the 202 finds the application even when the ledger consumer has not recorded it yet.
 * Only the facts the read needs are kept (ids, codes, the submitting client, the time), no personal data.
 */
public final class RecentlyAccepted {
  private final Redis redis;
  private final Duration ttl;

  public RecentlyAccepted(Redis redis, Duration ttl) {
    this.redis = redis;
    this.ttl = ttl;
  }

  public Future<Void> remember(String applicationId, String serviceCode, String departmentCode, String clientId, String receivedAt) {
    var note = new JsonObject().put("applicationId", applicationId).put("serviceCode", serviceCode)
        .put("departmentCode", departmentCode).put("clientId", clientId).put("receivedAt", receivedAt);
    return redis.send(Request.cmd(Command.SET).arg(key(applicationId)).arg(note.encode()).arg("PX").arg(ttl.toMillis()))
        .recover(e -> Future.failedFuture(new DependencyUnavailable(Dependency.REDIS, e))).mapEmpty();
  }

  Future<Optional<ApplicationView>> find(String applicationId) {
    return redis.send(Request.cmd(Command.GET).arg(key(applicationId)))
        .recover(e -> Future.failedFuture(new DependencyUnavailable(Dependency.REDIS, e)))
        .map(reply -> reply == null ? Optional.empty() : Optional.of(ApplicationView.justAccepted(new JsonObject(reply.toString()))));
  }

  private static String key(String applicationId) { return "accepted:{" + applicationId + "}"; }
}
