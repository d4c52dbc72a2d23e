package eu.gov.intake.cli;

/** One line about a failure for an operator's terminal: the message of the cause that says the most. */
final class Failures {
  private Failures() {}

  /** A bad setting or a missing one is the operator's to fix, like a bad argument: exit 2. */
  static boolean isUsage(Throwable e) { return e instanceof eu.gov.intake.config.InvalidConfig || e instanceof UsageProblem; }

  static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause && (cause.getMessage() == null
        || cause instanceof java.util.concurrent.CompletionException || cause.getMessage().startsWith("Unexpected"))) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    boolean expected = cause instanceof eu.gov.intake.migration.SchemaMismatch || cause instanceof eu.gov.intake.config.InvalidConfig
        || cause instanceof UsageProblem;
    return (expected ? "" : cause.getClass().getSimpleName() + ": ") + message.lines().findFirst().orElse("");
  }
}
