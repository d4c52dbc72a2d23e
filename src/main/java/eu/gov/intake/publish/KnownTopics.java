package eu.gov.intake.publish;

import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The topics the Kafka cluster had when last asked. A send to a topic that does not exist is not an error the
 * producer reports at once: it waits up to {@code max.block.ms} for metadata, and holds up every send queued
 * behind it on the shared producer. So an event whose topic is known to be missing is not sent there at all;
 * it goes to the dead-letter topic instead ({@link Event#undeliverable()}).
 */
public final class KnownTopics {
  private final KafkaAdminClient admin;
  private final Duration timeout;
  private volatile Set<String> existing;  // null until the first listing: nothing is known missing before it

  /** {@code timeout}: how long a listing may take (the admin client's own default is a minute). */
  public KnownTopics(KafkaAdminClient admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /** Lists the cluster's topics again; on failure (Kafka unreachable) the last listing stands. */
  public Future<Void> refresh() {
    return admin.listTopics().timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .onSuccess(topics -> existing = Set.copyOf(topics)).mapEmpty();
  }

  /** True only if the last listing did not have it. */
  public boolean missing(String topic) {
    var known = existing;
    return known != null && !known.contains(topic);
  }

  /** The event as it can be delivered: to its own topic, or to the dead-letter topic if that one is missing. */
  public Event route(Event event) { return missing(event.topic()) ? event.undeliverable() : event; }
}
