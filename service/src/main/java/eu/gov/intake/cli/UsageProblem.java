package eu.gov.intake.cli;

/** A setting a command needs is missing or unusable; reported in one line. */
final class UsageProblem extends RuntimeException {
  UsageProblem(String message) { super(message, null, false, false); }
}
