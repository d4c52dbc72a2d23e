package intake.load;

import static intake.load.Intake.*;
import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.List;

/**
 * A working day's steady stream of submissions: an open model at a constant arrival rate, each virtual user one
 * front-end request {@code POST /v1/applications} with a fresh Idempotency-Key and a fresh applicant. The mix:
 * 60 % income tax returns (small), 30 % company registrations (~1 KB, the benchmark's application), 10 % lease
 * registrations; channels WEB and MOBILE through demo-web, and one in five through demo-counter (COUNTER).
 * Every answer must be 202 with a receipt (no replay).
 *
 * <p>Knobs: {@code steady.rate} users/s (smoke 20, full 300), {@code steady.rampSeconds} (1, 15),
 * {@code steady.seconds} at full rate (5, 120), {@code steady.p95Millis} (1000, 250), {@code steady.p99Millis}
 * (2000, 1000), {@code steady.maxKoPercent} (0, 0.1).
 */
public class SteadyLoad extends Simulation {
  private final int rate = knob("steady.rate", 20, 300);
  private final int ramp = knob("steady.rampSeconds", 1, 15);
  private final int seconds = knob("steady.seconds", 5, 120);

  private final String channelKey = channelKey();
  private final String counterKey = counterKey();
  private final List<String> channels = channels();

  private final ScenarioBuilder submit = scenario("steady submissions")
      .feed(feeder(n -> {
        boolean counter = counterKey != null && n % 5 == 4;
        String channel = counter ? "COUNTER" : channels.get((int) (n % channels.size()));
        long kind = n % 10;
        var app = kind < 6 ? taxReturn(individual(n), channel, n)
            : kind < 9 ? companyRegistration(enterprise(n), channel, n)
            : leaseRegistration(individual(n), channel, n);
        return record("key", counter ? counterKey : channelKey, "idem", idempotencyKey("steady", n),
            "service", app.get("serviceCode").asText(), "body", json(app));
      }))
      .exec(http("submit #{service}").post("/v1/applications")
          .header("Authorization", "Bearer #{key}")
          .header("Idempotency-Key", "#{idem}")
          .header("Content-Type", "application/json")
          .body(StringBody("#{body}"))
          .check(
              status().is(202),
              headerRegex("Location", "^/v1/applications/[0-9a-f-]{36}$").exists(),
              header("Idempotent-Replayed").notExists(),
              jsonPath("$.applicationId").exists(),
              jsonPath("$.status").is("ACCEPTED"),
              jsonPath("$.serviceCode").isEL("#{service}")));

  {
    banner("SteadyLoad", "rate=" + rate + "/s ramp=" + ramp + "s hold=" + seconds + "s");
    setUp(submit.injectOpen(
            rampUsersPerSec(1).to(rate).during(seconds(ramp)),
            constantUsersPerSec(rate).during(seconds(seconds))))
        .protocols(protocol("SteadyLoad"))
        .maxDuration(seconds(ramp + seconds + 60))
        .assertions(
            global().failedRequests().percent().lte(knob("steady.maxKoPercent", 0.0, 0.1)),
            global().responseTime().percentile(95.0).lt(knob("steady.p95Millis", 1000, 250)),
            global().responseTime().percentile(99.0).lt(knob("steady.p99Millis", 2000, 1000)));
  }
}
