package eu.gov.intake.failure;

/** The body is not sent as application/json (415). */
public final class UnsupportedMediaType extends IntakeFailure {
  public UnsupportedMediaType(String en, String zh) { super(new Text(en, zh)); }
}
