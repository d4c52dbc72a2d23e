package eu.gov.intake.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every domain meter name of Intake, in one place. Tags come from small closed sets only (departments,
 * outcomes): never a client id, service code, key or anything a citizen sent.
 */
public final class IntakeMeters {
  public static final String SUBMISSIONS = "intake.submissions";
  public static final String IN_FLIGHT = "intake.in.flight";
  public static final String SPOOL_DEPTH = "intake.spool.depth";
  public static final String SPOOL_OLDEST = "intake.spool.oldest.age";
  public static final String RELAYED = "intake.relay.published";
  public static final String LEDGER_LAG = "intake.ledger.lag";

  private final MeterRegistry registry;

  public IntakeMeters(MeterRegistry registry) { this.registry = registry; }

  /**
   * Counted once per application, when its answer is decided. {@code outcome} is accepted, replayed, or the
   * problem kind that rejected it; {@code department} is "none" when the application never got that far.
   */
  /** Submissions this instance holds now; the admission bound is on the same number. */
  public void inFlight(java.util.function.IntSupplier now) {
    io.micrometer.core.instrument.Gauge.builder(IN_FLIGHT, now::getAsInt).description("Submissions in flight on this instance")
        .register(registry);
  }

  /** The spool as the relay last counted it: rows waiting for Kafka, and how long the oldest has waited. */
  public void spool(java.util.function.LongSupplier depth, java.util.function.DoubleSupplier oldestSeconds) {
    io.micrometer.core.instrument.Gauge.builder(SPOOL_DEPTH, depth::getAsLong)
        .description("Events in the PostgreSQL spool not yet published to Kafka").register(registry);
    io.micrometer.core.instrument.Gauge.builder(SPOOL_OLDEST, oldestSeconds::getAsDouble).baseUnit("seconds")
        .description("Age of the oldest unpublished spool row").register(registry);
  }

  /** Counts what this instance's relay got acknowledged by Kafka. */
  public java.util.function.LongConsumer relayed() {
    var counter = Counter.builder(RELAYED).description("Spooled events the relay published to Kafka").register(registry);
    return n -> counter.increment(n);
  }

  /** Records on the ledger consumer's partitions not yet written to PostgreSQL. */
  public void ledgerLag(java.util.function.LongSupplier lag) {
    io.micrometer.core.instrument.Gauge.builder(LEDGER_LAG, lag::getAsLong)
        .description("Records the ledger has not yet written to PostgreSQL").register(registry);
  }

  public void submission(String outcome, String department) {
    Counter.builder(SUBMISSIONS).description("Applications submitted, by how they ended")
        .tag("outcome", outcome).tag("department", department)
        .register(registry).increment();
  }
}
