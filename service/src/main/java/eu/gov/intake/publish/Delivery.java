package eu.gov.intake.publish;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.DependencyUnavailable.Dependency;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes an event durable, the only thing a 202 may wait for: Kafka's acks=all, or else, with the spool on,
 * a committed spool row (contract section 5). An event goes to the spool at once while an outage lasts, or
 * while its applicant has older events there: the relay then publishes them in the order they were accepted.
 */
public final class Delivery {
  public enum Route { KAFKA, SPOOL }

  private final Publisher publisher;
  private final Optional<Spool> spool;
  private final Outage outage;
  private final KnownTopics topics;
  private final Duration publishTimeout;
  private final Runnable onSpooled;
  private final SpooledApplicants spooledApplicants;

  /** {@code spool} empty: the spool is switched off, and a failed publish is a 503. */
  public Delivery(Publisher publisher, Optional<Spool> spool, SpooledApplicants spooledApplicants, Outage outage, KnownTopics topics,
                  Duration publishTimeout, Runnable onSpooled) {
    this.spooledApplicants = spooledApplicants;
    this.onSpooled = onSpooled;
    this.topics = topics;
    this.publisher = publisher;
    this.spool = spool;
    this.outage = outage;
    this.publishTimeout = publishTimeout;
  }

  /** Completes once the event is durable, saying where; fails with DependencyUnavailable (503) otherwise. */
  public Future<Route> deliver(Event event, Instant deadline) {
    if (spool.isEmpty()) return publish(event, left(deadline)).map(Route.KAFKA);
    var spooled = spool.get();
    return mustQueueBehindSpool(spooled, event).compose(queue -> queue
        ? append(spooled, event, deadline)
        : publish(event, Math.min(publishTimeout.toMillis(), left(deadline))).map(Route.KAFKA)
            .recover(e -> {
              // The send is not cancelled and may still land: the relay then publishes a twin with the same ce_id.
              // A record Kafka refused (too large for its topic) is no outage: it is spooled, and the relay's
              // bounded attempts take it to the dead-letter topic.
              if (!Publisher.refused(e)) outage.begin(e.getCause() == null ? e : e.getCause());
              return append(spooled, event, deadline);
            }));
  }

  /** Marked for the other instances first: the mark must be there before the 202 the append leads to. */
  private Future<Route> append(Spool spooled, Event event, Instant deadline) {
    return spooledApplicants.mark(event.key())
        .compose(marked -> spooled.append(event, deadline)).onSuccess(committed -> onSpooled.run()).map(Route.SPOOL);
  }

  /**
   * Whether the applicant's event must wait behind older ones in the spool. This instance knows of its own appends
   * and of its relay's last count; an append of another instance since then, by the applicant's mark in Redis.
   */
  private Future<Boolean> mustQueueBehindSpool(Spool spooled, Event event) {
    if (outage.active()) return Future.succeededFuture(true);
    if (spooled.mayHoldPending()) return spooled.holdsPendingFor(event.key());
    return spooledApplicants.mayBeSpooled(event.key())
        .compose(marked -> marked ? spooled.holdsPendingFor(event.key()) : Future.succeededFuture(false));
  }

  /** To the event's topic, or to the dead-letter topic if that one is missing; a spooled event is routed when relayed. */
  private Future<Void> publish(Event event, long timeoutMillis) {
    return publisher.publish(topics.route(event))
        .timeout(Math.max(1, timeoutMillis), TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(e instanceof DependencyUnavailable ? e : new DependencyUnavailable(Dependency.KAFKA, e)))
        .mapEmpty();
  }

  private static long left(Instant deadline) { return Math.max(1, Duration.between(Instant.now(), deadline).toMillis()); }

  /** Sends what the producer buffers and waits for the spool's last group commit; for shutdown. */
  public Future<Void> flush() {
    return Future.join(publisher.flush(), spool.map(Spool::drained).orElse(Future.succeededFuture())).mapEmpty();
  }
}
