package eu.gov.intake.failure;

/** The resource does not exist or is not the caller's to see (404). */
public final class NotFound extends IntakeFailure {
  public NotFound(String en, String zh) { super(new Text(en, zh)); }
}
