package eu.gov.intake.failure;

/** A known key that is not allowed this action, service or channel (403). */
public final class Forbidden extends IntakeFailure {
  public Forbidden(String en, String zh) { super(new Text(en, zh)); }
}
