package eu.gov.intake.failure;

import java.util.List;

/**
 * The envelope or payload breaks the catalog's rules (422); each error points into the request as sent, in
 * the language the client asked for.
 */
public final class InvalidApplication extends IntakeFailure {
  /** {@code pointer} is an RFC 6901 JSON Pointer into the request body. */
  public record FieldError(String pointer, String detail) {}

  private final List<FieldError> errors;

  public InvalidApplication(List<FieldError> errors) {
    super(new Text(errors.size() + " field(s) of the application are invalid", "申请中有 " + errors.size() + " 处内容无效"));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() { return errors; }
}
