package eu.gov.intake.submission;

import java.util.Optional;

/** How one item of a submission ended: an answer (accepted or replayed), or the failure that stopped it. */
public record Outcome(Optional<Answer> answer, Optional<Throwable> failure) {
  static Outcome of(Answer answer) { return new Outcome(Optional.of(answer), Optional.empty()); }

  static Outcome of(Throwable failure) { return new Outcome(Optional.empty(), Optional.of(failure)); }
}
