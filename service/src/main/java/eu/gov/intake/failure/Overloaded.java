package eu.gov.intake.failure;

import java.time.Duration;

/** This instance already holds as many submissions as it may: shed at once instead of queueing (503). */
public final class Overloaded extends IntakeFailure {
  public Overloaded() {
    super(new Text("this instance is at capacity, please retry shortly", "当前实例繁忙，请稍后重试"));
  }

  public Duration retryAfter() { return Duration.ofSeconds(1); }
}
