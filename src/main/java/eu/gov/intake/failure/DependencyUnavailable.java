package eu.gov.intake.failure;

import java.time.Duration;

/** Redis or Kafka cannot be reached, so nothing durable can be promised now (503); nothing was published. */
public final class DependencyUnavailable extends IntakeFailure {
  public enum Dependency { REDIS, KAFKA, POSTGRES }

  private final Dependency dependency;

  public DependencyUnavailable(Dependency dependency, Throwable cause) {
    super("the service is temporarily unavailable, please retry", cause);
    this.dependency = dependency;
  }

  public Dependency dependency() { return dependency; }

  public Duration retryAfter() { return Duration.ofSeconds(2); }
}
