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

  public void submission(String outcome, String department) {
    Counter.builder(SUBMISSIONS).description("Applications submitted, by how they ended")
        .tag("outcome", outcome).tag("department", department)
        .register(registry).increment();
  }
}
