package eu.gov.intake.config;

/** A value that must never reach a log line: {@code toString()} hides it. */
public record Secret(String value) {
  @Override public String toString() { return "****"; }
}
