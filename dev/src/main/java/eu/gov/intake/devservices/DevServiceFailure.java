package eu.gov.intake.devservices;

/** A dev server could not be prepared or started; the message says which and where its log is. */
public final class DevServiceFailure extends RuntimeException {
  DevServiceFailure(String message) { super(message); }

  DevServiceFailure(String message, Throwable cause) { super(message, cause); }
}
