package intake.load;

import static intake.load.Intake.*;
import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Broken clients and hostile input at a steady trickle: every request must get its exact 4xx, an
 * {@code application/problem+json} body whose {@code status} and {@code type} match, and an {@code X-Request-Id};
 * never a 5xx. Each virtual user sends every case once, in order:
 * malformed JSON (400), a missing Idempotency-Key where the service requires one (400), wrong Content-Type (415),
 * unknown service (422), closed service (422), schema-invalid payload (422 with {@code errors} pointing at
 * {@code /payload/...}), an Idempotency-Key reused with another body (422, after a valid 202), no API key (401), an
 * unknown API key (401), a department key submitting (403), a body over INTAKE_MAX_BODY (413, refused on its
 * Content-Length), an application over its service's {@code maxBodyBytes} (413), a status read of an application
 * that does not exist (404).
 *
 * <p>Knobs: {@code bad.rate} users/s (smoke 2, full 10), {@code bad.seconds} (3, 60), {@code bad.p99Millis}
 * (1000, 500).
 */
public class BadInputMix extends Simulation {
  private final int rate = knob("bad.rate", 2, 10);
  private final int seconds = knob("bad.seconds", 3, 60);

  private final String channelKey = channelKey();
  private final String deptKey = deptKey();
  private final String channel = channels().get(0);

  /** 300 KiB of application, over the 256 KiB default INTAKE_MAX_BODY. */
  private static final String OVERSIZED;
  /** ~5 KB for SHEEA-0003, whose catalog entry allows 4096 bytes. */
  private static final String OVER_SERVICE_LIMIT;

  static {
    var big = taxReturn("310101199001010001", "WEB", 0);
    ((com.fasterxml.jackson.databind.node.ObjectNode) big.get("payload")).put("attachment", "x".repeat(300 * 1024));
    OVERSIZED = json(big);
    var permit = NODES.objectNode().put("permitNumber", "C12345678").put("destination", "MACAO")
        .put("endorsementType", "TOURISM").put("entries", 1).put("remarks", "往来澳门旅游签注".repeat(220));
    OVER_SERVICE_LIMIT = json(envelope("SHEEA-0003", "INDIVIDUAL", "310101199001010002", "WEB", permit));
  }

  private HttpRequestActionBuilder post(String name, String contentType, String body) {
    var request = http(name).post("/v1/applications")
        .header("Authorization", "Bearer " + channelKey)
        .header("Idempotency-Key", "#{idem}-" + name.replaceAll("[^a-z0-9]+", "-"))
        .body(StringBody(body));
    return contentType == null ? request : request.header("Content-Type", contentType);
  }

  private static CheckBuilder[] problemAnd(int status, String type, CheckBuilder... more) {
    List<CheckBuilder> all = new ArrayList<>(Arrays.asList(problem(status, type)));
    all.addAll(Arrays.asList(more));
    return all.toArray(CheckBuilder[]::new);
  }

  private ChainBuilder cases() {
    return exec(
        post("400 malformed JSON", "application/json", "{\"serviceCode\":\"SHTAX-0001\",\"applicant\":{\"type\":")
            .check(problem(400, "malformed-request")),
        http("400 missing Idempotency-Key").post("/v1/applications")
            .header("Authorization", "Bearer " + channelKey)
            .header("Content-Type", "application/json")
            .body(StringBody("#{valid}"))
            .check(problem(400, "malformed-request")),
        post("415 wrong content type", "text/plain; charset=utf-8", "#{valid}")
            .check(problem(415, "unsupported-media-type")),
        post("422 unknown service", "application/json",
            json(envelope("NOPE-0001", "INDIVIDUAL", "310101199001010003", channel, NODES.objectNode())))
            .check(problemAnd(422, "unknown-service", jsonPath("$.errors[0].pointer").is("/serviceCode"))),
        post("422 closed service", "application/json",
            json(envelope("SHAMR-0020", "ENTERPRISE", "91310000MA1FL8XQ3B", channel, NODES.objectNode())))
            .check(problemAnd(422, "unknown-service", jsonPath("$.errors[0].pointer").is("/serviceCode"))),
        post("422 schema-invalid payload", "application/json",
            json(envelope("SHTAX-0001", "INDIVIDUAL", "310101199001010004", channel,
                NODES.objectNode().put("taxYear", 1900).put("annualIncome", -1).put("bonus", true))))
            .check(problemAnd(422, "invalid-application",
                jsonPath("$.errors[*].pointer").findAll().transform(pointers -> pointers.contains("/payload/taxYear")).is(true))),
        http("202 valid (for the key reuse)").post("/v1/applications")
            .header("Authorization", "Bearer " + channelKey)
            .header("Idempotency-Key", "#{idem}-reused")
            .header("Content-Type", "application/json")
            .body(StringBody("#{valid}"))
            .check(status().is(202)),
        http("422 Idempotency-Key reused with another body").post("/v1/applications")
            .header("Authorization", "Bearer " + channelKey)
            .header("Idempotency-Key", "#{idem}-reused")
            .header("Content-Type", "application/json")
            .body(StringBody("#{other}"))
            .check(problem(422, "idempotency-key-reused")),
        http("401 no API key").post("/v1/applications")
            .header("Idempotency-Key", "#{idem}-nokey")
            .header("Content-Type", "application/json")
            .body(StringBody("#{valid}"))
            .check(problemAnd(401, "unauthenticated", header("WWW-Authenticate").is("Bearer"))),
        http("401 unknown API key").post("/v1/applications")
            .header("Authorization", "Bearer ik_NoSuchKy_0000000000000000000000000000000000000000000")
            .header("Idempotency-Key", "#{idem}-badkey")
            .header("Content-Type", "application/json")
            .body(StringBody("#{valid}"))
            .check(problemAnd(401, "unauthenticated", header("WWW-Authenticate").is("Bearer"))),
        http("403 department key submits").post("/v1/applications")
            .header("Authorization", "Bearer " + deptKey)
            .header("Idempotency-Key", "#{idem}-dept")
            .header("Content-Type", "application/json")
            .body(StringBody("#{valid}"))
            .check(problem(403, "forbidden")),
        post("413 body over INTAKE_MAX_BODY", "application/json", OVERSIZED)
            .check(problem(413, "payload-too-large")),
        post("413 over the service's maxBodyBytes", "application/json", OVER_SERVICE_LIMIT)
            .check(problem(413, "payload-too-large")),
        http("404 unknown application").get("/v1/applications/#{unknownId}")
            .header("Authorization", "Bearer " + channelKey)
            .check(problem(404, "not-found")));
  }

  private final ScenarioBuilder hostile = scenario("bad input")
      .feed(feeder(n -> record(
          "idem", idempotencyKey("bad", n),
          "valid", json(taxReturn(individual(n), channel, n)),
          "other", json(taxReturn(individual(n), channel, n + 1)),
          "unknownId", String.format("01900000-0000-7000-8000-%012d", n))))
      .exec(cases());

  {
    banner("BadInputMix", "rate=" + rate + " users/s for " + seconds + "s, 14 requests each");
    setUp(hostile.injectOpen(constantUsersPerSec(rate).during(seconds(seconds))))
        .protocols(protocol("BadInputMix"))
        .maxDuration(seconds(seconds + 60))
        .assertions(
            // every case answered exactly as the contract says: not one KO
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99.0).lt(knob("bad.p99Millis", 1000, 500)));
  }
}
