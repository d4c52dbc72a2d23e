package eu.gov.intake.admission;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bound on the submissions this instance holds at once. Past it, a request is refused at once (503) rather
 * than queued: in a deadline burst a queue only turns into timeouts, while a quick 503 with Retry-After lets
 * the load balancer and the client go elsewhere or come back.
 */
public final class InFlightLimit {
  private final int max;
  private final AtomicInteger inFlight = new AtomicInteger();

  public InFlightLimit(int max) { this.max = max; }

  /** Takes a slot; {@code false} when none is free. A taken slot must be given back with {@link #leave()}. */
  public boolean tryEnter() {
    while (true) {
      int now = inFlight.get();
      if (now >= max) return false;
      if (inFlight.compareAndSet(now, now + 1)) return true;
    }
  }

  public void leave() { inFlight.decrementAndGet(); }

  public int inFlight() { return inFlight.get(); }
}
