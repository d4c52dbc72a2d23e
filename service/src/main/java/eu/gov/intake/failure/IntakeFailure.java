package eu.gov.intake.failure;

/**
 * Every outcome of a request that is not a success and not a bug. The HTTP layer maps each subclass to its
 * status in one switch without a default branch, so a new kind cannot ship without a decided status. The
 * detail is kept in both languages; {@link #getMessage()} (for logs) is the English one.
 */
public sealed abstract class IntakeFailure extends RuntimeException
    permits MalformedRequest, Unauthenticated, Forbidden, UnknownService, NotFound, InvalidApplication,
    IdempotencyConflict, IdempotencyKeyReused, UnsupportedMediaType, PayloadTooLarge, DependencyUnavailable, Overloaded, RateLimited,
    IllegalTransition, ShuttingDown, RequestTimeout {

  private final Text detail;

  IntakeFailure(Text detail) {
    this(detail, null);
  }

  IntakeFailure(Text detail, Throwable cause) {
    super(detail.en(), cause, false, false);  // an expected outcome: no stack trace is captured or shown
    this.detail = detail;
  }

  public Text detail() { return detail; }
}
