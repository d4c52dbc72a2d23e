package eu.gov.intake.migration;

/** The schema is not the one this code runs on; expected, so without a stack trace. */
public final class SchemaMismatch extends RuntimeException {
  SchemaMismatch(String problem) { super(problem, null, false, false); }
}
