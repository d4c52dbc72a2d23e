package eu.gov.intake.publish;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this instance believes Kafka is unreachable. It begins when a publish fails or times out and ends
 * when the relay gets a record acknowledged again. While it lasts, submissions go straight to the spool: a
 * deadline burst during an outage must not wait out a publish timeout per request, nor pile records into the
 * producer's buffer that would all be sent twice (once by the producer's retries, once by the relay).
 *
 * <p>An instance without a relay (INTAKE_ROLES without {@code relay}) has nothing to end it: there it ends by
 * itself {@code retryAfter} after it began, and the next publish that fails begins it again. An applicant's
 * later applications still wait behind its spooled ones (see Delivery), so their order holds either way.
 */
public final class Outage {
  private static final Logger LOG = LoggerFactory.getLogger(Outage.class);
  private static final long NONE = Long.MIN_VALUE;
  private final Optional<Duration> retryAfter;
  /** When it began (System.nanoTime), or NONE. */
  private final AtomicLong began = new AtomicLong(NONE);

  /** Ended by the relay only. */
  public Outage() { this(Optional.empty()); }

  public Outage(Optional<Duration> retryAfter) { this.retryAfter = retryAfter; }

  public boolean active() {
    long since = began.get();
    if (since == NONE) return false;
    if (retryAfter.isPresent() && System.nanoTime() - since > retryAfter.get().toNanos() && began.compareAndSet(since, NONE)) {
      LOG.info("trying Kafka again after {} s of outage: no relay here to tell", retryAfter.get().toSeconds());
      return false;
    }
    return began.get() != NONE;
  }

  public void begin(Throwable why) {
    if (began.compareAndSet(NONE, System.nanoTime())) LOG.warn("Kafka unreachable ({}): accepting into the spool", why.toString());
  }

  public void end() {
    if (began.getAndSet(NONE) != NONE) LOG.info("Kafka reachable again: publishing directly, the relay drains the spool");
  }
}
