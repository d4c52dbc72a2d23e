package eu.gov.intake.submission;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/** One submission as it arrived: the credential, its Idempotency-Key and the parsed body, not yet checked. */
public record Submission(String apiKey, Optional<String> idempotencyKey, JsonObject body,
                         Optional<String> traceparent, Instant receivedAt) {}
