package eu.gov.intake.http;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.IdempotencyConflict;
import eu.gov.intake.failure.InvalidApplication;
import eu.gov.intake.failure.InvalidApplication.FieldError;
import eu.gov.intake.failure.Text.Lang;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ProblemHandlerTest {
  @Test
  void invalidApplicationCarriesItsPointers() {
    var failure = new InvalidApplication(List.of(new FieldError("/applicant/id", "required")));
    var problem = ProblemHandler.toProblem(failure);
    assertThat(problem.status()).isEqualTo(422);
    var json = ProblemHandler.render(problem, failure, Lang.EN, "/v1/applications", "r-1");
    assertThat(json.getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/applicant/id");
    assertThat(json.getString("type")).isEqualTo("https://intake.example.gov/problems/invalid-application");
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
    assertThat(ProblemHandler.render(problem, new IllegalStateException("x"), Lang.ZH, "/x", "r").encode())
        .doesNotContain("Internals").doesNotContain("IllegalState");
  }

  @Test
  void titlesFollowTheLanguage() {
    assertThat(ProblemTitles.of("unauthenticated", Lang.ZH)).isEqualTo("未认证");
    assertThat(ProblemTitles.of("unauthenticated", Lang.EN)).isEqualTo("Unauthenticated");
    assertThat(Lang.fromAcceptLanguage("en-US,en;q=0.9")).isEqualTo(Lang.EN);
    assertThat(Lang.fromAcceptLanguage("zh-CN,en;q=0.5")).isEqualTo(Lang.ZH);
    assertThat(Lang.fromAcceptLanguage("fr")).isEqualTo(Lang.ZH);
  }
}
