package eu.gov.intake.auth;

import java.util.Optional;
import java.util.Set;

/** The authenticated client behind a request: a channel front end, or a department system bound to one department. */
public record Caller(String clientId, Kind kind, Set<String> channels, Optional<String> departmentCode) {
  public enum Kind { CHANNEL, DEPARTMENT }
}
