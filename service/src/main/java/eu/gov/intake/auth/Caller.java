package eu.gov.intake.auth;

import java.util.Optional;
import java.util.Set;

/**
 * The authenticated client behind a request: a channel front end, or a department system bound to one
 * department, with its rate limit (a sustained rate per second and a burst).
 */
public record Caller(String clientId, Kind kind, Set<String> channels, Optional<Set<String>> services,
                     Optional<String> departmentCode, int ratePerSecond, int burst) {
  /** A channel client may submit to a service if it has no service list, or the service is on it. */
  public boolean mayUse(String serviceCode) { return services.map(list -> list.contains(serviceCode)).orElse(true); }

  public enum Kind { CHANNEL, DEPARTMENT }
}
