package eu.gov.intake.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every domain meter name of Intake, in one place. Tags come from small closed sets only (departments,
 * outcomes): never a client id, service code, key or anything a citizen sent.
 */
public final class IntakeMeters {
  public static final String SUBMISSIONS = "intake.submissions";

  private final MeterRegistry registry;

  public IntakeMeters(MeterRegistry registry) { this.registry = registry; }

  /**
   * Counted once per application, when its answer is decided. {@code outcome} is accepted, replayed, or the
   * problem kind that rejected it; {@code department} is "none" when the application never got that far.
   */
  public void submission(String outcome, String department) {
    Counter.builder(SUBMISSIONS).description("Applications submitted, by how they ended")
        .tag("outcome", outcome).tag("department", department)
        .register(registry).increment();
  }
}
