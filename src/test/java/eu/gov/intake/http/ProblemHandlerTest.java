package eu.gov.intake.http;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.IdempotencyConflict;
import eu.gov.intake.failure.InvalidApplication;
import eu.gov.intake.failure.InvalidApplication.FieldError;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ProblemHandlerTest {
  @Test
  void invalidApplicationCarriesItsPointers() {
    var problem = ProblemHandler.toProblem(new InvalidApplication(List.of(new FieldError("/applicant/id", "required"))));
    assertThat(problem.status()).isEqualTo(422);
    assertThat(problem.errors()).hasValueSatisfying(e -> assertThat(e.getJsonObject(0).getString("pointer")).isEqualTo("/applicant/id"));
  }

  @Test
  void unavailableAndInFlightSayWhenToRetry() {
    var redisDown = ProblemHandler.toProblem(new DependencyUnavailable(DependencyUnavailable.Dependency.REDIS, new RuntimeException("x")));
    assertThat(redisDown.status()).isEqualTo(503);
    assertThat(redisDown.retryAfter()).isPresent();
    var inFlight = ProblemHandler.toProblem(new IdempotencyConflict(Duration.ofSeconds(7)));
    assertThat(inFlight.status()).isEqualTo(409);
    assertThat(inFlight.retryAfter()).hasValue(Duration.ofSeconds(7));
    assertThat(ProblemHandler.toProblem(new TimeoutException(), 500).status()).isEqualTo(503);
  }

  @Test
  void unexpectedFailuresAre500WithoutInternalNames() {
    var problem = ProblemHandler.toProblem(new IllegalStateException("eu.gov.intake.secret.Internals broke"), 500);
    assertThat(problem.status()).isEqualTo(500);
    assertThat(problem.toJson("t", "/x", "r").encode()).doesNotContain("Internals").doesNotContain("IllegalState");
  }

  @Test
  void titlesFollowTheLanguage() {
    assertThat(ProblemTitles.of("unauthenticated", false)).isEqualTo("未认证");
    assertThat(ProblemTitles.of("unauthenticated", true)).isEqualTo("Unauthenticated");
  }
}
