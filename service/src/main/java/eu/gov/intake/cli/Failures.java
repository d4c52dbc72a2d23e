package eu.gov.intake.cli;

import eu.gov.intake.failure.OneLine;

/** One line about a failure for an operator's terminal: the message of the cause that says the most. */
final class Failures {
  private Failures() {}

  /** A bad setting or a missing one is the operator's to fix, like a bad argument: exit 2. */
  static boolean isUsage(Throwable e) { return e instanceof eu.gov.intake.config.InvalidConfig || e instanceof UsageProblem; }

  static String describe(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof eu.gov.intake.StartFailure named) return named.getMessage();
    }
    Throwable cause = OneLine.innermostTelling(e);
    boolean expected = cause instanceof eu.gov.intake.migration.SchemaMismatch || cause instanceof eu.gov.intake.config.InvalidConfig
        || cause instanceof UsageProblem;
    return expected ? OneLine.messageOf(cause) : OneLine.of(cause);
  }
}
