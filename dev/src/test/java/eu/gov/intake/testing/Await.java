package eu.gov.intake.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for something the system does in the background, polling. The bound is not a speed claim: it only keeps
 * a test that would otherwise wait forever from holding CI, and names what never happened.
 */
public final class Await {
  private Await() {}

  public static void until(String what, Duration atMost, Duration poll, BooleanSupplier condition) {
    long giveUp = System.nanoTime() + atMost.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - giveUp > 0) throw new AssertionError(what + ": still not so after waiting " + atMost);
      LockSupport.parkNanos(poll.toNanos());
    }
  }
}
