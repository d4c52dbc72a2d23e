package eu.gov.intake.publish;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this instance believes Kafka is unreachable. It begins when a publish fails or times out and ends
 * when the relay gets a record acknowledged again. While it lasts, submissions go straight to the spool: a
 * deadline burst during an outage must not wait out a publish timeout per request, nor pile records into the
 * producer's buffer that would all be sent twice (once by the producer's retries, once by the relay).
 */
public final class Outage {
  private static final Logger LOG = LoggerFactory.getLogger(Outage.class);
  private final AtomicBoolean active = new AtomicBoolean();

  public boolean active() { return active.get(); }

  public void begin(Throwable why) {
    if (active.compareAndSet(false, true)) LOG.warn("Kafka unreachable ({}): accepting into the spool", why.toString());
  }

  public void end() {
    if (active.compareAndSet(true, false)) LOG.info("Kafka reachable again: publishing directly, the relay drains the spool");
  }
}
