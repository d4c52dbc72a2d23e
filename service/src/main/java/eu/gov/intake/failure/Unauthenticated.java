package eu.gov.intake.failure;

/** No API key, or one that is not known (401). */
public final class Unauthenticated extends IntakeFailure {
  public Unauthenticated(String en, String zh) { super(new Text(en, zh)); }
}
