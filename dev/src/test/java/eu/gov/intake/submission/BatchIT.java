package eu.gov.intake.submission;

import static eu.gov.intake.testing.Applications.cardReplacement;
import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.ApiContract;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.Offsets;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Contract section 2.1: a batch is its items, each handled exactly as a single submission. */
@ExtendWith(IntakeTestRun.class)
class BatchIT {
  private static HttpResponse<String> batch(TestIntake intake, String body) {
    return Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/applications:batch"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + intake.keyOf("demo-counter"))
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static JsonObject item(JsonObject application) {
    return application.put("channel", "COUNTER").put("idempotencyKey", "b-" + UUID.randomUUID());
  }

  @Test
  void allItemsAccepted_is200WithResultsInItemOrderAndEveryRecordOnItsTopic(TestIntake intake) {
    var items = new JsonArray(IntStream.range(0, 30).mapToObj(i -> item(taxReturn(freshApplicant()))).collect(Collectors.toList()));
    var response = batch(intake, new JsonObject().put("items", items).encode());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    ApiContract.assertConforms(response, "submitBatch");
    var results = new JsonObject(response.body()).getJsonArray("results");
    assertThat(results).hasSize(30);
    for (int i = 0; i < 30; i++) {
      assertThat(results.getJsonObject(i).getInteger("index")).isEqualTo(i);
      assertThat(results.getJsonObject(i).getInteger("status")).isEqualTo(202);
    }
    Set<String> ids = results.stream().map(r -> ((JsonObject) r).getString("applicationId")).collect(Collectors.toSet());
    assertThat(ids).hasSize(30);
    assertThat(Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax", r -> ids.contains(Topic.header(r, "ce_id")), 30))
        .hasSize(30);
  }

  /** Issue 13, item 8: the items of a batch went out all at once, so one applicant's could reach the topic out of order. */
  @Test
  void oneApplicantsItemsReachTheTopicInItemOrder(TestIntake intake) {
    for (int round = 0; round < 3; round++) {
      String applicant = freshApplicant();
      var items = new JsonArray();
      for (int i = 0; i < 30; i++) {
        var application = taxReturn(applicant);
        application.getJsonObject("payload").put("annualIncome", 100_000 + i);   // thirty applications, not one twice
        items.add(item(application));
      }
      var response = batch(intake, new JsonObject().put("items", items).encode());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      var ids = new JsonObject(response.body()).getJsonArray("results").stream()
          .map(r -> ((JsonObject) r).getString("applicationId")).toList();
      var onTopic = Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax", r -> ids.contains(Topic.header(r, "ce_id")), 30)
          .stream().map(r -> Topic.header(r, "ce_id")).toList();
      assertThat(onTopic).as("round " + round).containsExactlyElementsOf(ids);
    }
  }

  @Test
  void someItemsRejected_is207WithAProblemPerRejectedItemPointingIntoTheBatch(TestIntake intake) {
    var good = item(taxReturn(freshApplicant()));
    var bad = item(taxReturn(freshApplicant()));
    bad.getJsonObject("payload").put("taxYear", "last year");
    var unknown = item(taxReturn(freshApplicant()).put("serviceCode", "SHTAX-9999"));
    var response = batch(intake, new JsonObject().put("items", new JsonArray().add(good).add(bad).add(unknown)).encode());

    assertThat(response.statusCode()).isEqualTo(207);
    ApiContract.assertConforms(response, "submitBatch");
    var results = new JsonObject(response.body()).getJsonArray("results");
    assertThat(results.getJsonObject(0).getInteger("status")).isEqualTo(202);
    assertThat(results.getJsonObject(1).getInteger("status")).isEqualTo(422);
    assertThat(results.getJsonObject(1).getJsonObject("problem").getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/items/1/payload/taxYear");
    assertThat(results.getJsonObject(2).getJsonObject("problem").getString("type")).endsWith("/unknown-service");
  }

  @Test
  void itemKeysShareTheClientsKeySpaceWithSingleSubmissions(TestIntake intake) {
    var application = taxReturn(freshApplicant()).put("channel", "COUNTER");
    String key = "shared-" + UUID.randomUUID();
    var single = Http.submit(intake.apiPort(), intake.keyOf("demo-counter"), key, application.encode());
    assertThat(single.statusCode()).isEqualTo(202);

    var response = batch(intake, new JsonObject().put("items", new JsonArray().add(application.copy().put("idempotencyKey", key))
        .add(item(cardReplacement(freshApplicant())))).encode());

    assertThat(response.statusCode()).isEqualTo(200);
    var first = new JsonObject(response.body()).getJsonArray("results").getJsonObject(0);
    assertThat(first.getBoolean("replayed")).isTrue();
    assertThat(first.getString("applicationId")).isEqualTo(new JsonObject(single.body()).getString("applicationId"));
  }

  @Test
  void badEnvelopeFailsTheWholeBatchAndPublishesNothing(TestIntake intake) {
    long before = Offsets.published(intake.kafkaBootstrap());
    assertThat(batch(intake, "{\"items\": []}").statusCode()).isEqualTo(400);
    assertThat(batch(intake, "{\"things\": [1]}").statusCode()).isEqualTo(400);
    assertThat(batch(intake, "[1, 2]").statusCode()).isEqualTo(400);
    var tooMany = new JsonArray(IntStream.range(0, 101).mapToObj(i -> item(taxReturn(freshApplicant()))).collect(Collectors.toList()));
    var overCount = batch(intake, new JsonObject().put("items", tooMany).encode());
    assertThat(overCount.statusCode()).isEqualTo(413);
    ApiContract.assertConforms(overCount, "submitBatch");
    var overSize = batch(intake, new JsonObject().put("items", new JsonArray().add(item(taxReturn(freshApplicant()))
        .put("padding", "p".repeat(1024 * 1024)))).encode());
    assertThat(overSize.statusCode()).isEqualTo(413);
    assertThat(Offsets.published(intake.kafkaBootstrap())).isEqualTo(before);
  }
}
