package eu.gov.intake.submission;

import eu.gov.intake.failure.Text.Lang;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What arrived, not yet checked: the credential and one or more items (one for {@code POST
 * /v1/applications}, up to the batch limit for {@code :batch}), with what the client asked of the answer.
 */
public record Submission(String apiKey, List<Item> items, Optional<String> traceparent, Instant receivedAt, Lang lang) {
  /**
   * One application as sent. {@code pointer} locates it in the request ("" for a single submission,
   * "/items/3" in a batch), so that error pointers point into the request as sent.
   */
  public record Item(Optional<String> idempotencyKey, com.fasterxml.jackson.databind.JsonNode body, int bodyBytes, String pointer) {}

  public static Submission single(String apiKey, Item item, Optional<String> traceparent, Instant receivedAt, Lang lang) {
    return new Submission(apiKey, List.of(item), traceparent, receivedAt, lang);
  }
}
