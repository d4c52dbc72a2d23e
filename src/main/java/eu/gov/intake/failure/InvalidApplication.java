package eu.gov.intake.failure;

import java.util.List;

/** The envelope or payload breaks the catalog's rules (422); each error points into the request as sent. */
public final class InvalidApplication extends IntakeFailure {
  /** {@code pointer} is an RFC 6901 JSON Pointer into the request body. */
  public record FieldError(String pointer, String detail) {}

  private final List<FieldError> errors;

  public InvalidApplication(List<FieldError> errors) {
    super(errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid");
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() { return errors; }
}
