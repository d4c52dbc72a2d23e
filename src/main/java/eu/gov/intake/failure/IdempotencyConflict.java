package eu.gov.intake.failure;

import java.time.Duration;

/** The first request with this Idempotency-Key is still in flight (409); retry after its lease. */
public final class IdempotencyConflict extends IntakeFailure {
  private final Duration retryAfter;

  public IdempotencyConflict(Duration retryAfter) {
    super("a request with this Idempotency-Key is still being processed");
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() { return retryAfter; }
}
