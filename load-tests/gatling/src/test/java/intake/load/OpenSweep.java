package intake.load;

import static intake.load.Intake.*;
import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * The benchmark's open-model latency sweep: the benchmark's application (a ~1 KB company registration, a fresh
 * Idempotency-Key each) at constant arrival rates of 10, 25, 50, 75 and 90 % of the saturation rate the benchmark
 * measured, one after the other, each step its own request name ("open 50%") so that its percentiles stand apart.
 * An open model: a slow answer does not hold back the next arrival, so queueing shows in the latency instead of
 * hiding in a lower rate (wrk's closed loop would). load-tests/bench/run.sh runs it and draws the chart.
 *
 * <p>Knobs: {@code sweep.saturation} accepted/s at saturation (smoke 50, full 3000), {@code sweep.stepSeconds}
 * (smoke 2, full 20).
 */
public class OpenSweep extends Simulation {
  private static final int[] PERCENTS = {10, 25, 50, 75, 90};

  private final int saturation = knob("sweep.saturation", 50, 3000);
  private final int stepSeconds = knob("sweep.stepSeconds", 2, 20);
  private final String key = channelKey();

  private PopulationBuilder step(int percent) { return step("open " + percent + "%", percent, stepSeconds); }

  private PopulationBuilder step(String name, int percent, int seconds) {
    return scenario(name)
        .feed(feeder(n -> record("idem", idempotencyKey("sweep", n), "body", json(companyRegistration(enterprise(n), "WEB", n)))))
        .exec(http(name).post("/v1/applications")
            .header("Authorization", "Bearer " + key)
            .header("Idempotency-Key", "#{idem}")
            .header("Content-Type", "application/json")
            .body(StringBody("#{body}"))
            .check(status().is(202)))
        .injectOpen(constantUsersPerSec(saturation * percent / 100.0).during(seconds(seconds)));
  }

  {
    banner("OpenSweep", "saturation=" + saturation + "/s, " + stepSeconds + " s a step");
    PopulationBuilder chain = step(PERCENTS[PERCENTS.length - 1]);
    for (int i = PERCENTS.length - 2; i >= 0; i--) chain = step(PERCENTS[i]).andThen(chain);
    // Gatling's own JVM warms up first, at a quarter of the rate, in a step of its own that the chart leaves out
    chain = step("warm-up", 25, Math.max(2, stepSeconds / 2)).andThen(chain);
    setUp(chain)
        .protocols(protocol("OpenSweep"))
        .maxDuration(seconds((PERCENTS.length + 1) * (stepSeconds + 30)))
        .assertions(global().failedRequests().percent().lte(1.0));
  }
}
