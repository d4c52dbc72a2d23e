package intake.load;

import static intake.load.Intake.*;
import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Citizens who click twice and retry: every submission with one Idempotency-Key must make one application.
 *
 * <p>Two populations are injected alike and fed the same sequence of (key, body), so user n of each sends the same
 * request at the same moment: {@code first click} from the citizen and {@code double click (in flight)} from its
 * twin, a second click that leaves before the first is answered. Each gets 202, or 409 {@code request-in-progress}
 * with {@code Retry-After} while the other holds the key, and then retries ({@code ... after 409}) until 202. The
 * citizen then clicks again at once ({@code double click (at once)}) and, after a pause, retries
 * ({@code retry after pause}): both 202 with {@code Idempotent-Replayed: true}. Every 202 of one key must carry the
 * same applicationId: the checks compare each against the citizen's first one, and the last against the twin's.
 * The group {@code one application per key} fails a key whose 202s were not exactly one original and the rest
 * replays.
 *
 * <p>Knobs: {@code double.rate} keys/s (smoke 5, full 20), {@code double.seconds} (4, 60),
 * {@code double.pauseMillis} before the retry (500, 2000), {@code double.maxKoPercent} (0, 0.1).
 */
public class DoubleClickRetries extends Simulation {
  static final String VERDICT = "one application per key";
  private static final String PROBLEMS = "https://intake.example.gov/problems/";

  private final int rate = knob("double.rate", 5, 20);
  private final int seconds = knob("double.seconds", 4, 60);
  private final int pauseMillis = knob("double.pauseMillis", 500, 2000);

  private final String channelKey = channelKey();
  private final String channel = channels().get(0);

  /** The twin's answer per key number, for the citizen's last comparison. */
  private static final Map<Long, Answer> TWINS = new ConcurrentHashMap<>();

  record Answer(String applicationId, boolean replayed) {}

  private Map<String, Object> application(long n) {
    return record("n", n, "idem", idempotencyKey("double", n), "body", json(taxReturn(individual(n), channel, n)));
  }

  private HttpRequestActionBuilder submit(String name, String idAttr, String replayedAttr) {
    return http(name).post("/v1/applications")
        .header("Authorization", "Bearer " + channelKey)
        .header("Idempotency-Key", "#{idem}")
        .header("Content-Type", "application/json")
        .body(StringBody("#{body}"))
        .check(status().saveAs("status"), status().in(202, 409))
        .checkIf((response, session) -> response.status().code() == 202).then(
            jsonPath("$.applicationId").saveAs(idAttr),
            header("Idempotent-Replayed").withDefault("false").saveAs(replayedAttr))
        .checkIf((response, session) -> response.status().code() == 409).then(
            headerRegex("Retry-After", "^[0-9]+$").exists(),
            headerRegex("Content-Type", "^application/problem\\+json").exists(),
            jsonPath("$.type").is(PROBLEMS + "request-in-progress"));
  }

  /** One click, and while the key is in flight elsewhere (409), retries after a short wait until it is answered. */
  private ChainBuilder click(String name, String idAttr, String replayedAttr) {
    return exec(session -> session.remove("status"))
        .exec(submit(name, idAttr, replayedAttr))
        .asLongAs(session -> lastStatus(session) == 409 && !session.contains(idAttr), "retry409").on(
            // Retry-After says when the lease would end at the latest; the holder answers in milliseconds.
            pause(Duration.ofMillis(50), Duration.ofMillis(250))
                .exec(session -> session.remove("status"))
                .exec(submit(name + " after 409", idAttr, replayedAttr))
                .exitHereIf(session -> session.getInt("retry409") >= 20));
  }

  private static int lastStatus(Session session) { return session.contains("status") ? session.getInt("status") : -1; }

  private final ScenarioBuilder citizen = scenario("citizen")
      .feed(sequence(this::application))
      .exec(click("first click", "id", "replayed1"))
      .exitHereIfFailed()
      .exec(http("double click (at once)").post("/v1/applications")
          .header("Authorization", "Bearer " + channelKey)
          .header("Idempotency-Key", "#{idem}")
          .header("Content-Type", "application/json")
          .body(StringBody("#{body}"))
          .check(status().is(202), header("Idempotent-Replayed").is("true"), jsonPath("$.applicationId").isEL("#{id}")))
      .pause(Duration.ofMillis(pauseMillis), Duration.ofMillis(pauseMillis * 2L))
      .group(VERDICT).on(
          // the twin has long been answered by now; wait a little more if it is still retrying
          asLongAs(session -> !TWINS.containsKey(session.getLong("n")), "twinWait").on(
              pause(Duration.ofMillis(100)).exitHereIf(session -> session.getInt("twinWait") >= 50))
          .exec(session -> {
            Answer twin = TWINS.get(session.getLong("n"));
            return session.set("twinId", twin.applicationId()).set("twinReplayed", twin.replayed());
          })
          .exec(http("retry after pause").post("/v1/applications")
              .header("Authorization", "Bearer " + channelKey)
              .header("Idempotency-Key", "#{idem}")
              .header("Content-Type", "application/json")
              .body(StringBody("#{body}"))
              .check(status().is(202), header("Idempotent-Replayed").is("true"),
                  jsonPath("$.applicationId").isEL("#{id}"),
                  jsonPath("$.applicationId").isEL("#{twinId}")))
          .exec(session -> {
            // exactly one of the two concurrent clicks created the application; the other one replayed it
            int originals = ("true".equals(session.getString("replayed1")) ? 0 : 1) + (session.getBoolean("twinReplayed") ? 0 : 1);
            TWINS.remove(session.getLong("n"));
            return originals == 1 ? session : session.markAsFailed();
          }));

  private final ScenarioBuilder twin = scenario("twin click")
      .feed(sequence(this::application))
      .exec(click("double click (in flight)", "twinId", "twinReplayed"))
      .exec(session -> {
        if (session.contains("twinId")) {
          TWINS.put(session.getLong("n"), new Answer(session.getString("twinId"), "true".equals(session.getString("twinReplayed"))));
        }
        return session;
      });

  {
    banner("DoubleClickRetries", "rate=" + rate + " keys/s for " + seconds + "s, retry after " + pauseMillis + "-" + 2 * pauseMillis + " ms");
    setUp(
        citizen.injectOpen(constantUsersPerSec(rate).during(seconds(seconds))),
        twin.injectOpen(constantUsersPerSec(rate).during(seconds(seconds))))
        .protocols(protocol("DoubleClickRetries"))
        .maxDuration(seconds(seconds + 60))
        .assertions(
            global().failedRequests().percent().lte(knob("double.maxKoPercent", 0.0, 0.1)),
            details(VERDICT).failedRequests().percent().lte(knob("double.maxKoPercent", 0.0, 0.1)),
            global().responseTime().percentile(99.0).lt(knob("double.p99Millis", 2000, 1000)));
  }
}
