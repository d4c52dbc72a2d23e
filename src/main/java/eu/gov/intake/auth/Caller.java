package eu.gov.intake.auth;

import java.util.Optional;
import java.util.Set;

/**
 * The authenticated client behind a request: a channel front end, or a department system bound to one
 * department, with its rate limit (a sustained rate per second and a burst).
 */
public record Caller(String clientId, Kind kind, Set<String> channels, Optional<String> departmentCode,
                     int ratePerSecond, int burst) {
  public enum Kind { CHANNEL, DEPARTMENT }
}
