package eu.gov.intake.failure;

import java.time.Duration;

/** The client is over its rate limit (429); the bucket has a token again after {@code retryAfter}. */
public final class RateLimited extends IntakeFailure {
  private final int burst;
  private final Duration window;
  private final Duration retryAfter;

  public RateLimited(int burst, Duration window, Duration retryAfter) {
    super(new Text("this client is over its rate limit, please retry later", "该客户端超过了速率限制，请稍后重试"));
    this.burst = burst;
    this.window = window;
    this.retryAfter = retryAfter;
  }

  /** The bucket's size: how many submissions may come at once. */
  public int burst() { return burst; }

  /** How long an empty bucket takes to fill again. */
  public Duration window() { return window; }

  public Duration retryAfter() { return retryAfter; }
}
