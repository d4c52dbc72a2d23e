package eu.gov.intake.config;

/** Start-up stops with this one line, which names every variable that is wrong. */
public final class InvalidConfig extends RuntimeException {
  InvalidConfig(String message) { super(message, null, false, false); }
}
