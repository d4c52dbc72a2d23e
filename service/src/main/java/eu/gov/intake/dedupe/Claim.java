package eu.gov.intake.dedupe;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * What reserving an Idempotency-Key found: a fresh reservation (or a lease taken over from a crashed attempt,
 * with the applicationId and receivedAt chosen the first time, so that the event published again is the same
 * event), or the stored answer of a completed request. {@code attempt} is this holder's fencing token.
 */
public record Claim(String recordKey, String applicationId, Instant receivedAt, String attempt, Optional<StoredResponse> completed) {
  /** The answer given the first time, returned again on replay. */
  public record StoredResponse(int status, JsonObject body) {}

  public boolean isReplay() { return completed.isPresent(); }
}
