package eu.gov.intake.submission;

import eu.gov.intake.failure.Text.Lang;
import eu.gov.intake.tracing.Tracing;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What arrived, not yet checked: the credential and one or more items (one for {@code POST
 * /v1/applications}, up to the batch limit for {@code :batch}), with what the client asked of the answer.
 */
public record Submission(String apiKey, List<Item> items, Optional<String> traceparent, Instant receivedAt, Lang lang, String requestId) {
  /**
   * One application as sent. {@code pointer} locates it in the request ("" for a single submission,
   * "/items/3" in a batch), so that error pointers point into the request as sent.
   */
  public record Item(Optional<String> idempotencyKey, com.fasterxml.jackson.databind.JsonNode body, int bodyBytes, String pointer) {}

  /** The channels an application may come on (a channel client is allowed some of them). */
  public static final java.util.Set<String> CHANNELS = Application.CHANNELS;

  public static Submission single(String apiKey, Item item, Optional<String> traceparent, Instant receivedAt, Lang lang, String requestId) {
    return new Submission(apiKey, List.of(item), traceparent, receivedAt, lang, requestId);
  }

  /** The W3C trace id for log lines about this request: its span's when tracing is on, else the client's traceparent's. */
  public Optional<String> traceId() {
    return Tracing.currentTraceId().or(() -> traceparent.flatMap(Tracing::traceIdOf));
  }
}
