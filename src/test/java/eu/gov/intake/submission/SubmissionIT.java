package eu.gov.intake.submission;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.RedisProbe;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(IntakeTestRun.class)
class SubmissionIT {
  static String application(String applicantId) {
    return new JsonObject().put("serviceCode", "SHTAX-0001")
        .put("applicant", new JsonObject().put("type", "INDIVIDUAL").put("id", applicantId))
        .put("channel", "WEB")
        .put("payload", new JsonObject().put("taxYear", 2025).put("annualIncome", 180000).put("withheldTax", 9000))
        .encode();
  }

  @Test
  void validApplicationIsPublishedToItsDepartmentTopicAndRecordedInRedis(TestIntake intake) {
    String applicantId = "31010119900101" + (1000 + (int) (Math.random() * 8999));
    String key = "k-" + UUID.randomUUID();

    var response = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, application(applicantId));

    assertThat(response.statusCode()).isEqualTo(202);
    var receipt = new JsonObject(response.body());
    String id = receipt.getString("applicationId");
    assertThat(UUID.fromString(id).version()).isEqualTo(7);
    assertThat(receipt.getString("status")).isEqualTo("ACCEPTED");
    assertThat(receipt.getString("departmentCode")).isEqualTo("SHTAX");
    assertThat(response.headers().firstValue("Location")).hasValue("/v1/applications/" + id);
    assertThat(response.headers().firstValue("X-Request-Id")).isPresent();

    var records = Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax", r -> id.equals(Topic.header(r, "ce_id")), 1);
    assertThat(records).hasSize(1);
    var record = records.get(0);
    assertThat(Topic.header(record, "ce_specversion")).isEqualTo("1.0");
    assertThat(Topic.header(record, "ce_type")).isEqualTo("gov.intake.application.submitted.v1");
    assertThat(Topic.header(record, "ce_subject")).isEqualTo("SHTAX-0001");
    assertThat(Topic.header(record, "ce_source")).isEqualTo("/intake");
    assertThat(Topic.header(record, "ce_time")).isEqualTo(receipt.getString("receivedAt"));
    assertThat(Topic.header(record, "content-type")).isEqualTo("application/json");
    assertThat(record.key()).hasSize(64).doesNotContain(applicantId);           // keyed hash, no PII in keys
    var value = new JsonObject(new String(record.value(), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(value.getString("applicationId")).isEqualTo(id);
    assertThat(value.getJsonObject("payload").getInteger("taxYear")).isEqualTo(2025);

    try (var redis = new RedisProbe(intake.redisUrl())) {
      var stored = redis.hgetall("idem:{demo-web}:" + key);
      assertThat(stored).containsEntry("applicationId", id).containsEntry("state", "COMPLETED").containsKey("fingerprint");
      assertThat(new JsonObject(stored.get("response")).getJsonObject("body").getString("applicationId")).isEqualTo(id);
      assertThat(redis.ttl("idem:{demo-web}:" + key)).isBetween(23 * 3600L, 24 * 3600L);
    }
  }

  @Test
  void retryWithSameKeyAndBodyGetsTheFirstReceiptAndPublishesNothingMore(TestIntake intake) {
    String body = application("310101198502023456");
    String key = "k-" + UUID.randomUUID();
    var first = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, body);
    var second = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "\"" + key + "\"", body);  // sf-string form

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(new JsonObject(second.body())).isEqualTo(new JsonObject(first.body()));
    assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
    String id = new JsonObject(first.body()).getString("applicationId");
    assertThat(Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax", r -> id.equals(Topic.header(r, "ce_id")), 1))
        .hasSize(1);
  }

  @Test
  void sameKeyWithAnotherBodyIsRejectedAsReused(TestIntake intake) {
    String key = "k-" + UUID.randomUUID();
    assertThat(Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, application("310101198502020001")).statusCode())
        .isEqualTo(202);

    var reused = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, application("310101198502020002"));

    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(reused.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    var problem = new JsonObject(reused.body());
    assertThat(problem.getString("type")).endsWith("/idempotency-key-reused");
    assertThat(problem.getString("requestId")).isEqualTo(reused.headers().firstValue("X-Request-Id").orElseThrow());
  }

  @Test
  void missingOrUnknownKeyIs401WithBearerChallenge(TestIntake intake) {
    var missing = Http.submit(intake.apiPort(), null, "k-1", application("310101198502020003"));
    var unknown = Http.submit(intake.apiPort(), "ik_AAAAAAAA_" + "A".repeat(43), "k-1", application("310101198502020003"));

    for (HttpResponse<String> r : java.util.List.of(missing, unknown)) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(new JsonObject(r.body()).getString("title")).isEqualTo("未认证");  // zh-CN by default
    }
  }

  @Test
  void missingEnvelopeFieldsAre422WithPointers(TestIntake intake) {
    var response = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "k-" + UUID.randomUUID(),
        "{\"serviceCode\":\"SHTAX-0001\",\"applicant\":{\"type\":\"INDIVIDUAL\"},\"channel\":\"FAX\",\"payload\":{}}");

    assertThat(response.statusCode()).isEqualTo(422);
    var pointers = new JsonObject(response.body()).getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("pointer")).toList();
    assertThat(pointers).contains("/applicant/id", "/channel");
  }

  @Test
  void unknownServiceIs422AndNotJsonIs400AndWrongContentTypeIs415(TestIntake intake) {
    String unknown = application("310101198502020004").replace("SHTAX-0001", "NOPE-0001");
    assertThat(Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "k-u", unknown).statusCode()).isEqualTo(422);
    assertThat(Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "k-n", "{\"serviceCode\":").statusCode()).isEqualTo(400);
    var textPlain = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/applications"))
        .header("Content-Type", "text/plain").header("Authorization", "Bearer " + intake.keyOf("demo-web"))
        .POST(HttpRequest.BodyPublishers.ofString(application("310101198502020004"))));
    assertThat(textPlain.statusCode()).isEqualTo(415);
  }

  @Test
  void sameKeyWhileTheFirstIsInFlightIs409AndAnExpiredLeaseIsTakenOverWithTheSameApplicationId(TestIntake intake) {
    String applicantId = "310101198502020006";
    String key = "k-" + UUID.randomUUID();
    String recordKey = "idem:{demo-web}:" + key;
    String fingerprint = eu.gov.intake.dedupe.Fingerprint.of(RequestJson.parse(application(applicantId).getBytes(java.nio.charset.StandardCharsets.UTF_8))).hex();
    String firstId = ApplicationId.next();
    try (var redis = new RedisProbe(intake.redisUrl())) {
      // what an instance that reserved the key and then died left behind: a live lease, then an expired one
      redis.hset(recordKey, "fingerprint", fingerprint, "applicationId", firstId, "state", "IN_PROGRESS",
          "leaseUntil", Long.toString(System.currentTimeMillis() + 60_000));

      var inFlight = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, application(applicantId));
      assertThat(inFlight.statusCode()).isEqualTo(409);
      assertThat(new JsonObject(inFlight.body()).getString("type")).endsWith("/request-in-progress");
      assertThat(inFlight.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(s -> assertThat(s).isBetween(1L, 60L));

      redis.hset(recordKey, "leaseUntil", "0");
      var takenOver = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, application(applicantId));
      assertThat(takenOver.statusCode()).isEqualTo(202);
      assertThat(new JsonObject(takenOver.body()).getString("applicationId")).isEqualTo(firstId);
      assertThat(redis.hgetall(recordKey)).containsEntry("state", "COMPLETED");
    }
    assertThat(Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax", r -> firstId.equals(Topic.header(r, "ce_id")), 1))
        .hasSize(1);
  }

  @Test
  void requestIdIsEchoedWhenSaneAndReplacedWhenNot(TestIntake intake) {
    var sane = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/departments"))
        .header("X-Request-Id", "trace-42"));
    var tooLong = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/departments"))
        .header("X-Request-Id", "x".repeat(129)));
    assertThat(sane.headers().firstValue("X-Request-Id")).hasValue("trace-42");
    assertThat(tooLong.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).hasSize(36));
  }

  @Test
  void departmentKeyCannotSubmit(TestIntake intake) {
    var response = Http.submit(intake.apiPort(), intake.keyOf("dept-shtax"), "k-" + UUID.randomUUID(), application("310101198502020005"));
    assertThat(response.statusCode()).isEqualTo(403);
  }

}
