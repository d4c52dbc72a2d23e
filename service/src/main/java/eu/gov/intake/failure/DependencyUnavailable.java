package eu.gov.intake.failure;

import java.time.Duration;

/**
 * Redis or Kafka cannot be reached or did not answer in time, so nothing durable can be promised now (503).
 * The request left nothing half-done: its idempotency lease, if any, is released for the retry.
 */
public final class DependencyUnavailable extends IntakeFailure {
  public enum Dependency { REDIS, KAFKA, POSTGRES }

  private final Dependency dependency;

  public DependencyUnavailable(Dependency dependency, Throwable cause) {
    super(new Text("the service is temporarily unavailable, please retry shortly", "服务暂时不可用，请稍后重试"), cause);
    this.dependency = dependency;
  }

  public Dependency dependency() { return dependency; }

  public Duration retryAfter() { return Duration.ofSeconds(2); }
}
