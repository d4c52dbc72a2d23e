package eu.gov.intake.failure;

/** The Idempotency-Key was first used with a different request body (422). */
public final class IdempotencyKeyReused extends IntakeFailure {
  public IdempotencyKeyReused() {
    super("this Idempotency-Key was already used for a different request");
  }
}
