package eu.gov.intake.failure;

/** The serviceCode names no service in the catalog, or a closed one (422). */
public final class UnknownService extends IntakeFailure {
  public UnknownService(String en, String zh) { super(new Text(en, zh)); }
}
