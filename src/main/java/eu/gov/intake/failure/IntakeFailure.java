package eu.gov.intake.failure;

/**
 * Every outcome of a request that is not a success and not a bug. The HTTP layer maps each subclass to its
 * status in one switch without a default branch, so a new kind cannot ship without a decided status.
 */
public sealed abstract class IntakeFailure extends RuntimeException
    permits MalformedRequest, Unauthenticated, Forbidden, UnknownService, NotFound, InvalidApplication,
    IdempotencyConflict, IdempotencyKeyReused, UnsupportedMediaType, DependencyUnavailable {

  IntakeFailure(String detail) {
    super(detail, null, false, false);  // an expected outcome: no stack trace is captured or shown
  }

  IntakeFailure(String detail, Throwable cause) {
    super(detail, cause, false, false);
  }
}
