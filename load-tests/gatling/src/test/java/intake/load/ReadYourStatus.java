package intake.load;

import static intake.load.Intake.*;
import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Read your own writes: a citizen submits and reads the application's status with the same key right after the
 * 202 ({@code GET /v1/applications/{id}}: 200, ACCEPTED, one history entry), before the ledger has necessarily
 * caught up. Every other citizen's application is then taken up by its department (dept-shtax moves it to
 * IN_REVIEW through {@code POST /v1/applications/{id}/status} with an Idempotency-Key, and sends the same change
 * again: the same answer, {@code Idempotent-Replayed: true}), and the citizen reads IN_REVIEW with two history
 * entries. All reads and changes must succeed.
 *
 * <p>Knobs: {@code status.rate} citizens/s (smoke 5, full 30), {@code status.seconds} (4, 60),
 * {@code status.reviewEvery} (every n-th citizen's application moves to IN_REVIEW; 2), {@code status.p99Millis}
 * (2000, 500).
 */
public class ReadYourStatus extends Simulation {
  private final int rate = knob("status.rate", 5, 30);
  private final int seconds = knob("status.seconds", 4, 60);
  private final int reviewEvery = knob("status.reviewEvery", 2, 2);

  private final String channelKey = channelKey();
  private final String deptKey = deptKey();
  private final String channel = channels().get(0);

  private final ScenarioBuilder citizens = scenario("read your status")
      .feed(feeder(n -> record(
          "idem", idempotencyKey("status", n),
          "body", json(taxReturn(individual(n), channel, n)),
          "review", n % reviewEvery == 0)))
      .exec(http("submit").post("/v1/applications")
          .header("Authorization", "Bearer " + channelKey)
          .header("Idempotency-Key", "#{idem}")
          .header("Content-Type", "application/json")
          .body(StringBody("#{body}"))
          .check(status().is(202), jsonPath("$.applicationId").saveAs("id")))
      .exitHereIfFailed()
      .exec(http("read after 202").get("/v1/applications/#{id}")
          .header("Authorization", "Bearer " + channelKey)
          .check(
              status().is(200),
              jsonPath("$.applicationId").isEL("#{id}"),
              jsonPath("$.status").is("ACCEPTED"),
              jsonPath("$.serviceCode").is("SHTAX-0001"),
              jsonPath("$.departmentCode").is("SHTAX"),
              jsonPath("$.history[0].status").is("ACCEPTED")))
      .doIf("#{review}").then(
          pause(Duration.ofMillis(100), Duration.ofMillis(500))
              .exec(http("department: IN_REVIEW").post("/v1/applications/#{id}/status")
                  .header("Authorization", "Bearer " + deptKey)
                  .header("Idempotency-Key", "in-review-#{id}")
                  .header("Content-Type", "application/json")
                  .body(StringBody("{\"status\":\"IN_REVIEW\",\"note\":\"gatling ReadYourStatus\"}"))
                  .check(status().is(200), header("Idempotent-Replayed").notExists(),
                      jsonPath("$.status").is("IN_REVIEW"), jsonPath("$.applicationId").isEL("#{id}")))
              .exec(http("department: IN_REVIEW again").post("/v1/applications/#{id}/status")
                  .header("Authorization", "Bearer " + deptKey)
                  .header("Idempotency-Key", "in-review-#{id}")
                  .header("Content-Type", "application/json")
                  .body(StringBody("{\"status\":\"IN_REVIEW\",\"note\":\"gatling ReadYourStatus\"}"))
                  .check(status().is(200), header("Idempotent-Replayed").is("true"), jsonPath("$.status").is("IN_REVIEW")))
              .exec(http("read IN_REVIEW").get("/v1/applications/#{id}")
                  .header("Authorization", "Bearer " + channelKey)
                  .check(
                      status().is(200),
                      jsonPath("$.status").is("IN_REVIEW"),
                      jsonPath("$.history[*]").count().is(2),
                      jsonPath("$.history[1].status").is("IN_REVIEW"))));

  {
    banner("ReadYourStatus", "rate=" + rate + " citizens/s for " + seconds + "s, every " + reviewEvery + "th to IN_REVIEW");
    setUp(citizens.injectOpen(constantUsersPerSec(rate).during(seconds(seconds))))
        .protocols(protocol("ReadYourStatus"))
        .maxDuration(seconds(seconds + 60))
        .assertions(
            global().failedRequests().percent().lte(knob("status.maxKoPercent", 0.0, 0.1)),
            global().responseTime().percentile(99.0).lt(knob("status.p99Millis", 2000, 500)));
  }
}
