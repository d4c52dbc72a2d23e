package eu.gov.intake.dedupe;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What reserving an Idempotency-Key found: a fresh reservation (or a lease taken over from a crashed attempt,
 * with the applicationId chosen the first time), or the stored answer of a completed request.
 */
public record Claim(String recordKey, String applicationId, Optional<StoredResponse> completed) {
  /** The answer given the first time, returned again on replay. */
  public record StoredResponse(int status, JsonObject body) {}

  public boolean isReplay() { return completed.isPresent(); }
}
