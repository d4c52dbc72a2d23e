package eu.gov.intake.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every domain meter name of Intake, in one place. Tags come from small closed sets only (departments,
 * outcomes): never a client id, service code, key or anything a citizen sent.
 */
public final class IntakeMeters {
  public static final String SUBMISSIONS = "intake.submissions";

  /** How a submission ended. */
  public enum Outcome { ACCEPTED, REPLAYED, REJECTED, UNAVAILABLE, FAILED }

  private final MeterRegistry registry;

  public IntakeMeters(MeterRegistry registry) { this.registry = registry; }

  /** Counted once per request, when its response is decided. {@code department} is "none" when unknown. */
  public void submission(Outcome outcome, String department) {
    Counter.builder(SUBMISSIONS).description("Submissions by how they ended")
        .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).tag("department", department)
        .register(registry).increment();
  }

  public MeterRegistry registry() { return registry; }
}
