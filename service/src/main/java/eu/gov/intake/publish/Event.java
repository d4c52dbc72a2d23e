package eu.gov.intake.publish;

import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.Optional;

/**
 * One CloudEvent as Intake publishes it (Kafka binary mode, contract section 5), whether it goes to Kafka at
 * once or through the spool: the spool stores exactly these fields, so a relayed record is the same record,
 * with the same {@code id} (ce_id), as the one the request would have sent. {@code reason}, only on the
 * dead-letter topic, says why it is there (the CloudEvents extension {@code intakereason}); the spool does not keep it.
 */
public record Event(String id, String topic, String key, String type, Optional<String> subject, Instant time,
                    Buffer value, Optional<String> traceparent, String applicationId, Optional<String> reason) {
  /** Why an event is on the dead-letter topic. */
  public static final String TOPIC_MISSING = "department-topic-missing";
  public static final String REFUSED_BY_KAFKA = "refused-by-kafka";

  public static final String SUBMITTED = "gov.intake.application.submitted.v1";
  public static final String STATUS_CHANGED = "gov.intake.application.status-changed.v1";
  public static final String UNDELIVERABLE = "gov.intake.application.undeliverable.v1";
  public static final String STATUS_REJECTED = "gov.intake.application.status-rejected.v1";

  /** An accepted application for its department's topic; its ce_id is the applicationId. */
  public static Event submitted(String applicationId, String topic, String applicantKey, String serviceCode, Instant receivedAt,
                                Buffer value, Optional<String> traceparent) {
    return new Event(applicationId, topic, applicantKey, SUBMITTED, Optional.of(serviceCode), receivedAt, value, traceparent,
        applicationId, Optional.empty());
  }

  /** A status change, keyed by the applicationId so that one application's changes stay in order. */
  public static Event statusChanged(String eventId, String applicationId, Instant at, Buffer value) {
    return new Event(eventId, Topics.STATUS, applicationId, STATUS_CHANGED, Optional.empty(), at, value, Optional.empty(),
        applicationId, Optional.empty());
  }

  /**
   * A record of {@code intake.status} the ledger would not take, as it came, on the dead-letter topic: its ce_id
   * (or, without one, where it was read), and why.
   */
  public static Event statusRejected(String id, String key, String reason, Instant at, Buffer value) {
    return new Event(id, Topics.DEAD_LETTER, key, STATUS_REJECTED, Optional.empty(), at, value, Optional.empty(), "-",
        Optional.of(reason));
  }

  /**
   * The same event for the dead-letter topic, when its own topic does not exist (contract section 5): same ce_id,
   * subject, time and content, keyed by the applicationId; operators route it on from there.
   */
  public Event undeliverable(String why) {
    return new Event(id, Topics.DEAD_LETTER, applicationId, UNDELIVERABLE, subject, time, value, traceparent, applicationId,
        Optional.of(why));
  }
}
