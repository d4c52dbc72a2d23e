package eu.gov.intake.admission;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on the request bodies this instance buffers at once, in bytes: the in-flight bound times the body limit
 * (1,000 x 1 MiB batches) would be four times a 256 MiB heap. Each admitted submission reserves what its body may
 * take (its Content-Length, or the route's limit when the length is not announced) before a byte of it is read,
 * and gives it back with its answer; past the budget it is refused at once (503), like past the in-flight bound.
 */
public final class BodyBudget {
  private final long max;
  private final AtomicLong reserved = new AtomicLong();

  public BodyBudget(long maxBytes) { this.max = maxBytes; }

  /** Reserves {@code bytes}; {@code false} when they do not fit. A reservation is given back with {@link #release}. */
  public boolean tryReserve(long bytes) {
    while (true) {
      long now = reserved.get();
      if (now + bytes > max) return false;
      if (reserved.compareAndSet(now, now + bytes)) return true;
    }
  }

  public void release(long bytes) { reserved.addAndGet(-bytes); }

  public long reserved() { return reserved.get(); }
}
