package eu.gov.intake.submission;

import static eu.gov.intake.testing.Applications.cardReplacement;
import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.leaseRegistration;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.ApiContract;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.Offsets;
import eu.gov.intake.testing.RawHttp;
import eu.gov.intake.testing.RedisProbe;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Contract section 2, one test per row of its table, against the real servers. A test that publishes reads
 * the record back from its topic; one that must not publish checks that no department topic grew.
 */
@ExtendWith(IntakeTestRun.class)
class SubmissionContractIT {
  private static String key() { return "k-" + UUID.randomUUID(); }

  private static HttpResponse<String> submit(TestIntake intake, String idempotencyKey, JsonObject application) {
    return Http.submit(intake.apiPort(), intake.keyOf("demo-web"), idempotencyKey, application.encode());
  }

  private static long recordsWithId(TestIntake intake, String topic, String id) {
    return Topic.records(intake.kafkaBootstrap(), topic, r -> id.equals(Topic.header(r, "ce_id")), 1).size();
  }

  private static void assertProblem(HttpResponse<String> response, int status, String kind) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    var problem = new JsonObject(response.body());
    assertThat(problem.getString("type")).isEqualTo("https://intake.example.gov/problems/" + kind);
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("requestId")).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(problem.fieldNames()).contains("title", "detail", "instance");
    ApiContract.assertConforms(response, "submitApplication");
  }

  @Test
  void accepted_is202WithAReceiptLocationAndTheRecordOnTheDepartmentTopic(TestIntake intake) {
    var response = submit(intake, key(), taxReturn(freshApplicant()));

    assertThat(response.statusCode()).isEqualTo(202);
    ApiContract.assertConforms(response, "submitApplication");
    var receipt = new JsonObject(response.body());
    String id = receipt.getString("applicationId");
    // keyed: derived from the client, the key and the request (issue 15), so that a retry keeps it even if Redis forgot
    assertThat(UUID.fromString(id).version()).isEqualTo(8);
    assertThat(receipt.getString("status")).isEqualTo("ACCEPTED");
    assertThat(receipt.getString("departmentCode")).isEqualTo("SHTAX");
    assertThat(response.headers().firstValue("Location")).hasValue("/v1/applications/" + id);
    assertThat(recordsWithId(intake, "intake.applications.shtax", id)).isEqualTo(1);
  }

  @Test
  void sameClientSameKeySameRequestCompleted_returnsTheOriginalStatusAndBodyAsReplayed(TestIntake intake) {
    var application = taxReturn(freshApplicant());
    String key = key();
    var first = submit(intake, key, application);
    var second = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "\"" + key + "\"", application.encode());  // sf-string = token

    assertThat(second.statusCode()).isEqualTo(first.statusCode()).isEqualTo(202);
    assertThat(new JsonObject(second.body())).isEqualTo(new JsonObject(first.body()));
    assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    ApiContract.assertConforms(second, "submitApplication");
    assertThat(recordsWithId(intake, "intake.applications.shtax", new JsonObject(first.body()).getString("applicationId"))).isEqualTo(1);
  }

  @Test
  void sameKeyUsedByAnotherClient_isAnotherKey(TestIntake intake) {
    String key = key();
    var web = submit(intake, key, taxReturn(freshApplicant()));
    var counter = Http.submit(intake.apiPort(), intake.keyOf("demo-counter"), key,
        taxReturn(freshApplicant()).put("channel", "COUNTER").encode());

    assertThat(web.statusCode()).isEqualTo(202);
    assertThat(counter.statusCode()).isEqualTo(202);
    assertThat(counter.headers().firstValue("Idempotent-Replayed")).isEmpty();
  }

  @Test
  void sameClientSameKeyDifferentBody_is422IdempotencyKeyReusedAndPublishesNothing(TestIntake intake) {
    String key = key();
    assertThat(submit(intake, key, taxReturn(freshApplicant())).statusCode()).isEqualTo(202);
    long before = Offsets.published(intake.kafkaBootstrap());

    var reused = submit(intake, key, taxReturn(freshApplicant()));

    assertProblem(reused, 422, "idempotency-key-reused");
    assertThat(Offsets.published(intake.kafkaBootstrap())).isEqualTo(before);
  }

  @Test
  void sameClientSameKeyFirstStillInFlight_is409WithRetryAfter(TestIntake intake) {
    String applicantId = freshApplicant();
    String key = key();
    String inFlightId = ApplicationId.next();
    try (var redis = new RedisProbe(intake.redisUrl())) {
      // what an instance in the middle of publishing holds: a live lease on the record
      redis.hset("idem:{demo-web}:" + key, "fingerprint", fingerprint(taxReturn(applicantId)), "applicationId", inFlightId,
          "state", "IN_PROGRESS", "leaseUntil", Long.toString(redisNowMillis(redis) + 60_000));
    }
    long before = Offsets.published(intake.kafkaBootstrap());

    var conflict = submit(intake, key, taxReturn(applicantId));

    assertProblem(conflict, 409, "request-in-progress");
    assertThat(conflict.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(s -> assertThat(s).isBetween(1L, 60L));
    assertThat(Offsets.published(intake.kafkaBootstrap())).isEqualTo(before);
  }

  @Test
  void leaseLeftByACrashedAttempt_isTakenOverAndPublishedWithTheRecordedApplicationId(TestIntake intake) {
    String applicantId = freshApplicant();
    String key = key();
    String recordedId = ApplicationId.next();
    try (var redis = new RedisProbe(intake.redisUrl())) {
      // what a dead instance leaves: reserved, never completed, its lease run out
      redis.hset("idem:{demo-web}:" + key, "fingerprint", fingerprint(taxReturn(applicantId)), "applicationId", recordedId,
          "state", "IN_PROGRESS", "leaseUntil", Long.toString(redisNowMillis(redis) - 1));

      var retry = submit(intake, key, taxReturn(applicantId));

      assertThat(retry.statusCode()).isEqualTo(202);
      assertThat(new JsonObject(retry.body()).getString("applicationId")).isEqualTo(recordedId);
      assertThat(redis.hgetall("idem:{demo-web}:" + key)).containsEntry("state", "COMPLETED").containsEntry("applicationId", recordedId);
    }
    assertThat(recordsWithId(intake, "intake.applications.shtax", recordedId)).isEqualTo(1);
  }

  @Test
  void noKeyIdenticalContentWithinTheDedupeWindow_returnsTheOriginalReceiptAsReplayed(TestIntake intake) {
    var application = cardReplacement(freshApplicant());
    var first = submit(intake, null, application);
    var again = submit(intake, null, application.copy().put("channel", "WEB"));  // the channel is not part of the content

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(UUID.fromString(new JsonObject(first.body()).getString("applicationId")).version()).isEqualTo(7);  // time-ordered
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(new JsonObject(again.body())).isEqualTo(new JsonObject(first.body()));
    assertThat(recordsWithId(intake, "intake.applications.shhrss", new JsonObject(first.body()).getString("applicationId"))).isEqualTo(1);
  }

  @Test
  void noKeyIdenticalContentForAServiceWithDedupeSwitchedOff_isAcceptedTwice(TestIntake intake) {
    var application = leaseRegistration(freshApplicant());
    var first = submit(intake, null, application);
    var second = submit(intake, null, application);

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(second.headers().firstValue("Idempotent-Replayed")).isEmpty();
    String a = new JsonObject(first.body()).getString("applicationId");
    String b = new JsonObject(second.body()).getString("applicationId");
    assertThat(a).isNotEqualTo(b);
    assertThat(recordsWithId(intake, "intake.applications.shhousing", a)).isEqualTo(1);
    assertThat(recordsWithId(intake, "intake.applications.shhousing", b)).isEqualTo(1);
  }

  @Test
  void serviceRequiresAKeyAndNoneWasSent_orTheKeyIsMalformed_is400(TestIntake intake) {
    long before = Offsets.published(intake.kafkaBootstrap());

    assertProblem(submit(intake, null, taxReturn(freshApplicant())), 400, "malformed-request");
    assertProblem(submit(intake, "x".repeat(256), taxReturn(freshApplicant())), 400, "malformed-request");
    assertProblem(submit(intake, "\"\"", taxReturn(freshApplicant())), 400, "malformed-request");

    assertThat(Offsets.published(intake.kafkaBootstrap())).isEqualTo(before);
  }

  @Test
  void bodyNotJsonTruncatedInvalidUtf8OrNestedTooDeep_is400AndPublishesNothing(TestIntake intake) {
    long before = Offsets.published(intake.kafkaBootstrap());
    String valid = taxReturn(freshApplicant()).encode();
    String deep = "{\"serviceCode\":\"SHTAX-0001\",\"payload\":" + "[".repeat(40) + "]".repeat(40) + "}";
    byte[] invalidUtf8 = valid.replace("WEB", "W\u00ffB").getBytes(StandardCharsets.ISO_8859_1);  // a lone 0xFF byte
    for (byte[] body : List.of("not json".getBytes(), valid.substring(0, valid.length() / 2).getBytes(), invalidUtf8,
        deep.getBytes(), "{\"a\":1,\"a\":2}".getBytes(), (valid + " {}").getBytes())) {
      var response = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/applications"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + intake.keyOf("demo-web"))
          .header("Idempotency-Key", key()).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
      assertProblem(response, 400, "malformed-request");
    }
    assertThat(Offsets.published(intake.kafkaBootstrap())).isEqualTo(before);
  }

  @Test
  void contentTypeNotJson_is415(TestIntake intake) {
    for (String type : List.of("text/plain", "application/xml", "application/json; charset=latin1", "application/jsonx")) {
      var response = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/applications"))
          .header("Content-Type", type).header("Authorization", "Bearer " + intake.keyOf("demo-web")).header("Idempotency-Key", key())
          .POST(HttpRequest.BodyPublishers.ofString(taxReturn(freshApplicant()).encode())));
      assertProblem(response, 415, "unsupported-media-type");
    }
    var missing = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/applications"))
        .header("Authorization", "Bearer " + intake.keyOf("demo-web")).header("Idempotency-Key", key())
        .POST(HttpRequest.BodyPublishers.ofString(taxReturn(freshApplicant()).encode())));
    assertProblem(missing, 415, "unsupported-media-type");
    var utf8 = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/applications"))
        .header("Content-Type", "application/json; charset=UTF-8").header("Authorization", "Bearer " + intake.keyOf("demo-web"))
        .header("Idempotency-Key", key()).POST(HttpRequest.BodyPublishers.ofString(taxReturn(freshApplicant()).encode())));
    assertThat(utf8.statusCode()).isEqualTo(202);
  }

  @Test
  void bodyLargerThanTheLimit_is413WithOrWithoutContentLengthAndPerService(TestIntake intake) {
    long before = Offsets.published(intake.kafkaBootstrap());
    String filler = "x".repeat(300 * 1024);
    String big = taxReturn(freshApplicant()).put("padding", filler).encode();

    var withLength = RawHttp.exchange(intake.apiPort(), request(intake, "Content-Length: " + big.length() + "\r\n", big.getBytes()));
    assertThat(withLength.status()).isEqualTo(413);
    assertThat(withLength.header("Content-Type")).startsWith("application/problem+json");
    assertThat(withLength.header("X-Request-Id")).isNotBlank();

    byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes();
    var chunked = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < 20; i++) chunked.writeBytes(chunk);                     // 320 KiB and no end in sight
    var withoutLength = RawHttp.exchange(intake.apiPort(), request(intake, "Transfer-Encoding: chunked\r\n", chunked.toByteArray()));
    assertThat(withoutLength.status()).isEqualTo(413);
    assertThat(withoutLength.header("Content-Type")).startsWith("application/problem+json");

    // SHEEA-0003 allows 4 KiB: a 5 KiB application for it is too large though far under the instance's limit
    var endorsement = new JsonObject().put("serviceCode", "SHEEA-0003")
        .put("applicant", new JsonObject().put("type", "INDIVIDUAL").put("id", freshApplicant())).put("channel", "WEB")
        .put("payload", new JsonObject().put("permitNumber", "C12345678").put("destination", "HONG_KONG")
            .put("endorsementType", "TOURISM").put("entries", 1)).put("note", "y".repeat(5000));
    assertProblem(submit(intake, key(), endorsement), 413, "payload-too-large");

    assertThat(Offsets.published(intake.kafkaBootstrap())).isEqualTo(before);
  }

  private static byte[] request(TestIntake intake, String framing, byte[] body) {
    String head = "POST /v1/applications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Authorization: Bearer " + intake.keyOf("demo-web") + "\r\nIdempotency-Key: " + key() + "\r\n" + framing + "\r\n";
    var out = new java.io.ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return out.toByteArray();
  }

  @Test
  void unknownOrClosedServiceMissingFieldUnknownChannelOrSchemaFailure_is422WithPointers(TestIntake intake) {
    long before = Offsets.published(intake.kafkaBootstrap());

    var unknown = submit(intake, key(), taxReturn(freshApplicant()).put("serviceCode", "SHTAX-9999"));
    assertProblem(unknown, 422, "unknown-service");
    assertThat(pointers(unknown)).containsExactly("/serviceCode");

    var closed = submit(intake, key(), taxReturn(freshApplicant()).put("serviceCode", "SHAMR-0020"));
    assertProblem(closed, 422, "unknown-service");

    var envelope = taxReturn(freshApplicant()).put("channel", "FAX");
    envelope.getJsonObject("applicant").remove("id");
    var badEnvelope = submit(intake, key(), envelope);
    assertProblem(badEnvelope, 422, "invalid-application");
    assertThat(pointers(badEnvelope)).containsExactlyInAnyOrder("/applicant/id", "/channel");

    var payload = taxReturn(freshApplicant());
    payload.getJsonObject("payload").put("taxYear", 1990).put("surprise", true).remove("withheldTax");
    var badPayload = submit(intake, key(), payload);
    assertProblem(badPayload, 422, "invalid-application");
    assertThat(pointers(badPayload)).contains("/payload/taxYear", "/payload/withheldTax", "/payload/surprise");

    var badDate = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/applications"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + intake.keyOf("demo-web"))
        .header("Accept-Language", "en")
        .POST(HttpRequest.BodyPublishers.ofString(leaseRegistration(freshApplicant())
            .put("payload", leaseRegistration("x").getJsonObject("payload").put("leaseStart", "2026-13-45")).encode())));
    assertProblem(badDate, 422, "invalid-application");
    assertThat(pointers(badDate)).containsExactly("/payload/leaseStart");
    assertThat(new JsonObject(badDate.body()).getString("title")).isEqualTo("Invalid application");

    assertThat(Offsets.published(intake.kafkaBootstrap())).isEqualTo(before);
  }

  private static List<String> pointers(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("pointer")).toList();
  }

  @Test
  void requestHeadersLargerThanTheLimit_is431(TestIntake intake) {
    String flood = "X-Flood: " + "f".repeat(9 * 1024) + "\r\n";
    var response = RawHttp.exchange(intake.apiPort(), request(intake, flood + "Content-Length: 2\r\n", "{}".getBytes()));
    assertThat(response.status()).isEqualTo(431);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.header("X-Request-Id")).isNotBlank();
    assertThat(new JsonObject(response.body()).getString("type")).endsWith("/headers-too-large");
  }

  @Test
  void missingOrUnknownKey_is401WithABearerChallengeAndDepartmentKey_is403(TestIntake intake) {
    var missing = Http.submit(intake.apiPort(), null, key(), taxReturn(freshApplicant()).encode());
    var unknown = Http.submit(intake.apiPort(), "ik_AAAAAAAA_" + "A".repeat(43), key(), taxReturn(freshApplicant()).encode());
    for (var r : List.of(missing, unknown)) {
      assertProblem(r, 401, "unauthenticated");
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(new JsonObject(r.body()).getString("title")).isEqualTo("未认证");  // zh-CN by default
    }
    var department = Http.submit(intake.apiPort(), intake.keyOf("dept-shtax"), key(), taxReturn(freshApplicant()).encode());
    assertProblem(department, 403, "forbidden");
  }

  static String fingerprint(JsonObject application) {
    return eu.gov.intake.dedupe.Fingerprint.of(eu.gov.intake.dedupe.Canonical.of(RequestJson.parse(application.encode().getBytes(StandardCharsets.UTF_8)))).hex();
  }

  /** Leases are measured on Redis's clock, so the test takes its time from there too. */
  static long redisNowMillis(RedisProbe redis) { return redis.timeMillis(); }
}
