package eu.gov.intake.failure;

import java.time.Duration;

/** The first request with this Idempotency-Key is still in flight (409); retry after its lease. */
public final class IdempotencyConflict extends IntakeFailure {
  private final Duration retryAfter;

  public IdempotencyConflict(Duration retryAfter) {
    super(new Text("a request with this Idempotency-Key is still being processed", "使用该幂等键的请求仍在处理中"));
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() { return retryAfter; }
}
