package eu.gov.intake.publish;

import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The topics the Kafka cluster had when last asked. A send to a topic that does not exist is not an error the
 * producer reports at once: it waits for metadata (in EventLoopProducer, up to 5 s), and holds up the sends of
 * that topic behind it. So an event whose topic is known to be missing is not sent there at all;
 * it goes to the dead-letter topic instead ({@link Event#undeliverable}).
 */
public final class KnownTopics {
  private final KafkaAdminClient admin;
  private final Duration timeout;
  private volatile Set<String> existing;  // null until the first listing: nothing is known missing before it
  private final Set<String> created = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile long lastAttempt = System.nanoTime() - Duration.ofDays(1).toNanos();

  /** {@code timeout}: how long a listing may take (the admin client's own default is a minute). */
  public KnownTopics(KafkaAdminClient admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /** Lists the cluster's topics again; on failure (Kafka unreachable) the last listing stands. */
  public Future<Void> refresh() {
    lastAttempt = System.nanoTime();
    return admin.listTopics().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .onSuccess(topics -> {
          var listed = new java.util.HashSet<>(topics);
          listed.addAll(created);   // a listing that started before a creation may not show it yet
          created.clear();
          existing = Set.copyOf(listed);
        }).mapEmpty();
  }

  /** As {@link #refresh()}, unless one was attempted within {@code atMost}: the relay asks on every pass. */
  public Future<Void> refreshIfOlderThan(Duration atMost) {
    return System.nanoTime() - lastAttempt < atMost.toNanos() ? Future.succeededFuture() : refresh();
  }

  /** Topics this instance just created: they exist, whatever the last listing said. */
  public void created(java.util.Collection<String> topics) {
    created.addAll(topics);
    var known = existing;
    if (known != null) {
      var now = new java.util.HashSet<>(known);
      now.addAll(topics);
      existing = Set.copyOf(now);
    }
  }

  /** True only if the last listing did not have it. */
  public boolean missing(String topic) {
    var known = existing;
    return known != null && !known.contains(topic);
  }

  /**
   * The event as it can be delivered: an application to its department's topic, or to the dead-letter topic if
   * that one is missing. Other events (status changes) keep their topic: the dead-letter topic is for
   * applications only, and a status event waits in the outbox until its topic is there.
   */
  public Event route(Event event) {
    return event.type().equals(Event.SUBMITTED) && missing(event.topic()) ? event.undeliverable(Event.TOPIC_MISSING) : event;
  }
}
