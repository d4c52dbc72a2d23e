package eu.gov.intake.failure;

/** The Idempotency-Key was first used with a different request body (422). */
public final class IdempotencyKeyReused extends IntakeFailure {
  public IdempotencyKeyReused() {
    super(new Text("this Idempotency-Key was already used for a different request", "该幂等键已用于另一个不同的请求"));
  }
}
