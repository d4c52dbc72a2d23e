package eu.gov.intake.failure;

import java.time.Duration;

/** The instance is draining for shutdown and takes no new requests; another instance will (503). */
public final class ShuttingDown extends IntakeFailure {
  public ShuttingDown() {
    super(new Text("this instance is shutting down, please retry", "当前实例正在停止，请重试"));
  }

  public Duration retryAfter() { return Duration.ofSeconds(1); }
}
