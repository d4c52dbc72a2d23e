package eu.gov.intake.publish;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.DependencyUnavailable.Dependency;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;

/**
 * Which applicants (Kafka keys, keyed hashes: no personal data) had an application spooled lately, in Redis, where
 * every instance sees it at once. An instance learns that the spool holds rows from its own appends and from its
 * relay's count; between another instance's append and that count (a relay pass in an outage is slow), it would
 * publish the applicant's next application directly, ahead of the spooled one (found by the fault suite). The mark
 * is written before the spooled application's 202, so the next application, sent after that 202, finds it.
 */
public final class SpooledApplicants {
  /** Far longer than any relay pass: by then every instance's count has seen the row, or it was published. */
  static final Duration KEPT = Duration.ofMinutes(10);

  private final Redis redis;

  public SpooledApplicants(Redis redis) { this.redis = redis; }

  Future<Void> mark(String applicantKey) {
    return redis.send(Request.cmd(Command.SET).arg(key(applicantKey)).arg("1").arg("PX").arg(KEPT.toMillis()))
        .recover(e -> Future.failedFuture(new DependencyUnavailable(Dependency.REDIS, e))).mapEmpty();
  }

  /** Whether the applicant may have applications in the spool; an unanswered question counts as yes. */
  Future<Boolean> mayBeSpooled(String applicantKey) {
    return redis.send(Request.cmd(Command.EXISTS).arg(key(applicantKey)))
        .map(reply -> reply.toInteger() == 1)
        .otherwise(true);
  }

  private static String key(String applicantKey) { return "spooled:{" + applicantKey + "}"; }
}
