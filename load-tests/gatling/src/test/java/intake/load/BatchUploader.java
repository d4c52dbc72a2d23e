package intake.load;

import static intake.load.Intake.*;
import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A counter's (or partner's) back office uploading what it collected: {@code POST /v1/applications:batch} with
 * {@code batch.minItems}..{@code batch.maxItems} applications each (income tax returns, company registrations, lease
 * registrations, social security card replacements), every item with its own Idempotency-Key. The answer is 200
 * when every item was accepted, 207 otherwise; either way {@code results} has one entry per item, in order. One
 * batch in five is sent a second time, as after a lost answer: 200 with every item {@code replayed} and the same
 * applicationIds. The group {@code batch fully accepted} is KO for a 207 (assertion: at least
 * {@code batch.minFullPercent} OK).
 *
 * <p>Knobs: {@code batch.rate} batches/s (smoke 2, full 4), {@code batch.seconds} (3, 60), {@code batch.minItems}
 * (20), {@code batch.maxItems} (50), {@code batch.minFullPercent} (100, 99), {@code batch.p99Millis} (3000, 1500).
 */
public class BatchUploader extends Simulation {
  static final String GROUP = "batch fully accepted";

  private final int rate = knob("batch.rate", 2, 4);
  private final int seconds = knob("batch.seconds", 3, 60);
  private final int minItems = knob("batch.minItems", 20, 20);
  private final int maxItems = knob("batch.maxItems", 50, 50);

  private final String key = counterKey() != null ? counterKey() : channelKey();
  private final String channel = counterKey() != null ? "COUNTER" : channels().get(0);

  private String batch(long n, int items) {
    ObjectNode root = NODES.objectNode();
    var array = root.putArray("items");
    for (int i = 0; i < items; i++) {
      long m = n * 1000 + i;  // unique per item in this run
      ObjectNode app = switch (i % 4) {
        case 0 -> taxReturn(individual(m), channel, m);
        case 1 -> companyRegistration(enterprise(m), channel, m);
        case 2 -> leaseRegistration(individual(m), channel, m);
        default -> cardReplacement(individual(m), channel, m);
      };
      ObjectNode item = NODES.objectNode().put("idempotencyKey", idempotencyKey("batch", m));
      item.setAll(app);
      array.add(item);
    }
    return json(root);
  }

  private HttpRequestActionBuilder upload(String name) {
    return http(name).post("/v1/applications:batch")
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .body(StringBody("#{body}"));
  }

  private final ScenarioBuilder uploader = scenario("batch uploader")
      .feed(feeder(n -> {
        int items = ThreadLocalRandom.current().nextInt(minItems, maxItems + 1);
        return record("items", items, "body", batch(n, items), "replay", n % 5 == 1);
      }))
      .group(GROUP).on(
          exec(upload("batch")
              .check(
                  status().saveAs("status"),
                  status().in(200, 207),
                  jsonPath("$.results[*]").count().isEL("#{items}"),
                  jsonPath("$.results[0].index").ofInt().is(0),
                  jsonPath("$.results[-1:].index").ofInt().transform(i -> i + 1).isEL("#{items}"),
                  jsonPath("$.results[*].applicationId").findAll().saveAs("ids"))
              .checkIf((response, session) -> response.status().code() == 200).then(
                  jsonPath("$.results[?(@.status != 202)]").notExists(),
                  jsonPath("$.results[?(@.replayed == true)]").notExists()))
          .exec(session -> session.getInt("status") == 200 ? session : session.markAsFailed()))
      .doIf(session -> session.getBoolean("replay") && session.getInt("status") == 200).then(
          pause(Duration.ofMillis(200), Duration.ofMillis(500))
              .exec(upload("batch resent")
                  .check(
                      status().is(200),
                      jsonPath("$.results[*]").count().isEL("#{items}"),
                      jsonPath("$.results[?(@.replayed != true)]").notExists(),
                      jsonPath("$.results[*].applicationId").findAll().isEL("#{ids}"))));

  {
    banner("BatchUploader", "rate=" + rate + " batches/s for " + seconds + "s, " + minItems + "-" + maxItems + " items");
    setUp(uploader.injectOpen(constantUsersPerSec(rate).during(seconds(seconds))))
        .protocols(protocol("BatchUploader"))
        .maxDuration(seconds(seconds + 60))
        .assertions(
            global().failedRequests().percent().lte(knob("batch.maxKoPercent", 0.0, 0.1)),
            details(GROUP).successfulRequests().percent().gte(knob("batch.minFullPercent", 100.0, 99.0)),
            global().responseTime().percentile(99.0).lt(knob("batch.p99Millis", 3000, 1500)));
  }
}
