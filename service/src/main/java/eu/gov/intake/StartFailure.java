package eu.gov.intake;

import eu.gov.intake.failure.OneLine;

/**
 * A start that failed on one of the three outside systems: the line an operator reads names which one and where
 * it was looked for (never with a password), then what it said (a refused password, an untrusted certificate).
 */
public final class StartFailure extends RuntimeException {
  public StartFailure(String dependency, String where, Throwable cause) {
    super(dependency + " (" + where + "): " + OneLine.of(cause), cause);
  }
}
