package eu.gov.intake.failure;

/** The request cannot be read (400). */
public final class MalformedRequest extends IntakeFailure {
  public MalformedRequest(String en, String zh) { super(new Text(en, zh)); }
}
