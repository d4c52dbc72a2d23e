package intake.load;

import static intake.load.Intake.*;
import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;

/**
 * The evening of a filing deadline: submissions at a base rate, then within {@code burst.rampSeconds} ten times that,
 * held. Intake may shed what it cannot take (503 {@code overloaded} or {@code service-unavailable}, 429
 * {@code rate-limited}), always with {@code Retry-After} and a problem body; anything else (a 5xx other than 503, a
 * 4xx, a connection error or time-out) is a failure.
 *
 * <p>Two numbers come out: the request {@code submit (burst)} is KO only for those other errors (assertion: at most
 * {@code burst.maxKoPercent} of all requests), and the group {@code accepted (202)} around it is KO for every
 * answer but 202 (assertion: at least {@code burst.min202Percent} of them OK).
 *
 * <p>Knobs: {@code burst.baseRate} users/s (smoke 20, full 100), {@code burst.factor} (10), {@code burst.warmSeconds}
 * at base rate (2, 20), {@code burst.rampSeconds} (3, 10), {@code burst.holdSeconds} at the peak (4, 60),
 * {@code burst.min202Percent} (95, 90), {@code burst.maxKoPercent} (0, 0.1), {@code burst.p99Millis} (3000, 2000).
 */
public class DeadlineBurst extends Simulation {
  static final String GROUP = "accepted (202)";
  static final String REQUEST = "submit (burst)";

  private final int base = knob("burst.baseRate", 20, 100);
  private final int factor = knob("burst.factor", 10, 10);
  private final int warm = knob("burst.warmSeconds", 2, 20);
  private final int ramp = knob("burst.rampSeconds", 3, 10);
  private final int hold = knob("burst.holdSeconds", 4, 60);

  private final String channelKey = channelKey();
  private final String channel = channels().get(0);

  private static boolean shed(io.gatling.http.response.Response r) {
    int s = r.status().code();
    return s == 503 || s == 429;
  }

  private final ScenarioBuilder citizens = scenario("deadline burst")
      .feed(feeder(n -> {
        var app = n % 4 == 0 ? companyRegistration(enterprise(n), channel, n) : taxReturn(individual(n), channel, n);
        return record("idem", idempotencyKey("burst", n), "body", json(app));
      }))
      .group(GROUP).on(
          exec(http(REQUEST).post("/v1/applications")
                  .header("Authorization", "Bearer " + channelKey)
                  .header("Idempotency-Key", "#{idem}")
                  .header("Content-Type", "application/json")
                  .body(StringBody("#{body}"))
                  .check(status().saveAs("status"), status().in(202, 503, 429))
                  .checkIf((response, session) -> response.status().code() == 202).then(
                      jsonPath("$.applicationId").exists(),
                      jsonPath("$.status").is("ACCEPTED"))
                  .checkIf((response, session) -> shed(response)).then(
                      headerRegex("Retry-After", "^[0-9]+$").exists(),
                      headerRegex("Content-Type", "^application/problem\\+json").exists()))
          .exec(DeadlineBurst::verdict));

  /** The group is OK only for a 202: its OK share is the share of submissions accepted at once. */
  static Session verdict(Session session) {
    boolean accepted = session.contains("status") && session.getInt("status") == 202;
    return accepted ? session : session.markAsFailed();
  }

  {
    banner("DeadlineBurst", "base=" + base + "/s peak=" + base * factor + "/s warm=" + warm + "s ramp=" + ramp + "s hold=" + hold + "s");
    setUp(citizens.injectOpen(
            constantUsersPerSec(base).during(seconds(warm)),
            rampUsersPerSec(base).to(base * factor).during(seconds(ramp)),
            constantUsersPerSec(base * factor).during(seconds(hold))))
        .protocols(protocol("DeadlineBurst"))
        .maxDuration(seconds(warm + ramp + hold + 60))
        .assertions(
            global().failedRequests().percent().lte(knob("burst.maxKoPercent", 0.0, 0.1)),
            details(GROUP).successfulRequests().percent().gte(knob("burst.min202Percent", 95.0, 90.0)),
            details(GROUP, REQUEST).responseTime().percentile(99.0).lt(knob("burst.p99Millis", 3000, 2000)));
  }
}
