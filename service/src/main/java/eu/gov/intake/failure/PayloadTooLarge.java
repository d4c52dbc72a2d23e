package eu.gov.intake.failure;

/** The body, or the batch, is larger than allowed (413). */
public final class PayloadTooLarge extends IntakeFailure {
  public PayloadTooLarge(String en, String zh) { super(new Text(en, zh)); }
}
