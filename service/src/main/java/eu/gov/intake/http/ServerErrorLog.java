package eu.gov.intake.http;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 5xx answers that are not bugs (shedding, a dependency down, a deadline missed, draining) come by the thousand
 * in an outage or a burst: the first of a period is logged whole, with its request and trace ids, and the rest
 * as one summary line per period (count by status and kind), so that an outage does not flood the logs and
 * the log pipeline. Every answer is counted in the metrics as well.
 */
public final class ServerErrorLog {
  private static final Logger LOG = LoggerFactory.getLogger(ServerErrorLog.class);

  // the kinds are few (status x problem kind), so counters stay once made: removing one could lose an
  // increment another event loop is making at that moment
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final AtomicLong inPeriod = new AtomicLong();
  private final Vertx vertx;
  private final long timer;

  /** One per process: every API event loop shares it, and it summarises every {@code periodMillis}. */
  public ServerErrorLog(Vertx vertx, long periodMillis) {
    this.vertx = vertx;
    this.timer = vertx.setPeriodic(periodMillis, t -> summarise());
  }

  /** Writes what is counted and stops summarising. */
  public void close() {
    vertx.cancelTimer(timer);
    summarise();
  }

  void record(int status, String kind, String route, String why, String requestId, String traceId) {
    if (inPeriod.getAndIncrement() == 0) {
      LOG.atWarn().setMessage("{} answered {} {}: {} (more of these are summarised)").addArgument(route).addArgument(status)
          .addArgument(kind).addArgument(why).addKeyValue("requestId", requestId).addKeyValue("traceId", traceId).log();
      return;
    }
    counts.computeIfAbsent(status + " " + kind, k -> new AtomicLong()).incrementAndGet();
  }

  private volatile long lastSummary = System.nanoTime();

  private void summarise() {
    long now = System.nanoTime();
    long seconds = Math.max(1, Math.round((now - lastSummary) / 1e9));
    lastSummary = now;
    if (inPeriod.getAndSet(0) <= 1 && counts.isEmpty()) return;
    var summary = new TreeMap<String, Long>();
    counts.forEach((kind, count) -> {
      long n = count.getAndSet(0);
      if (n > 0) summary.put(kind, n);
    });
    if (summary.isEmpty()) return;
    long total = summary.values().stream().mapToLong(Long::longValue).sum();
    LOG.atWarn().setMessage("{} more 5xx answers in the last {} s: {}").addArgument(total).addArgument(seconds)
        .addArgument(summary).addKeyValue("count", total).log();
  }
}
