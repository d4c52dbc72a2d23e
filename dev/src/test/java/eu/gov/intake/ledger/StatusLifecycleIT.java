package eu.gov.intake.ledger;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.ApiContract;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.StatusApi;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Contract section 3 as a table: every legal change succeeds (and is published to intake.status and shows in
 * the history), every illegal one is 409, another department gets 404, the submitting client can read and
 * withdraw but nothing else, a client that did not submit gets 404.
 */
@ExtendWith(IntakeTestRun.class)
class StatusLifecycleIT {
  private static final String DEPT = "dept-shtax";

  /** Paths that together take every legal edge of the lifecycle once; the last step's actor in brackets. */
  private static final List<List<String>> LEGAL_PATHS = List.of(
      List.of("IN_REVIEW", "NEEDS_INFO", "IN_REVIEW", "APPROVED"),
      List.of("IN_REVIEW", "REJECTED"),
      List.of("WITHDRAWN"),
      List.of("IN_REVIEW", "WITHDRAWN"),
      List.of("IN_REVIEW", "NEEDS_INFO", "WITHDRAWN"));

  @Test
  void everyLegalTransitionSucceedsIsPublishedAndShowsInTheHistory(TestIntake intake) {
    for (var path : LEGAL_PATHS) {
      String id = submitted(intake);
      for (String to : path) {
        var changed = StatusApi.change(intake, DEPT, id, to, "step " + to);
        assertThat(changed.statusCode()).as("%s -> %s: %s", path, to, changed.body()).isEqualTo(200);
        ApiContract.assertConforms(changed, "changeStatus");
        assertThat(new JsonObject(changed.body()).getString("status")).isEqualTo(to);
      }
      var read = StatusApi.read(intake, DEPT, id);
      ApiContract.assertConforms(read, "getApplication");
      var history = new JsonObject(read.body()).getJsonArray("history").stream().map(JsonObject.class::cast)
          .map(e -> e.getString("status")).toList();
      var expected = new java.util.ArrayList<>(List.of("ACCEPTED"));
      expected.addAll(path);
      assertThat(history).isEqualTo(expected);
      var events = Topic.records(intake.kafkaBootstrap(), "intake.status", r -> id.equals(r.key()), path.size());
      assertThat(events).extracting(r -> new JsonObject(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).getString("status"))
          .containsExactlyElementsOf(path);
      assertThat(events).allSatisfy(r -> assertThat(Topic.header(r, "ce_type")).isEqualTo("gov.intake.application.status-changed.v1"));
    }
  }

  /** Issue 13, item 8: PostgreSQL cannot store U+0000 in text, and a note holding one was answered 503 as an outage. */
  @Test
  void aNoteWithANulCharacterIs400AndChangesNothing(TestIntake intake) {
    String id = submitted(intake);
    var refused = StatusApi.change(intake, DEPT, id, "IN_REVIEW", "first line\u0000second");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(new JsonObject(refused.body()).getString("type")).endsWith("/malformed-request");
    ApiContract.assertConforms(refused, "changeStatus");
    var read = StatusApi.read(intake, DEPT, id);
    assertThat(new JsonObject(read.body()).getString("status")).isEqualTo("ACCEPTED");
    assertThat(StatusApi.change(intake, DEPT, id, "IN_REVIEW", "first line, second").statusCode()).isEqualTo(200);
  }

  @Test
  void everyIllegalTransitionIs409AndChangesNothing(TestIntake intake) {
    for (Status from : Status.values()) {
      String id = submitted(intake);
      for (String step : pathTo(from)) assertThat(StatusApi.change(intake, DEPT, id, step, null).statusCode()).isEqualTo(200);
      for (Status to : Status.values()) {
        if (from.departmentMay(to)) continue;
        var refused = StatusApi.change(intake, DEPT, id, to.name(), null);
        assertThat(refused.statusCode()).as("%s -> %s", from, to).isEqualTo(409);
        assertThat(new JsonObject(refused.body()).getString("type")).endsWith("/illegal-transition");
        ApiContract.assertConforms(refused, "changeStatus");
      }
      assertThat(new JsonObject(StatusApi.read(intake, DEPT, id).body()).getString("status")).isEqualTo(from.name());
    }
  }

  @Test
  void whoMaySeeAndChangeWhat(TestIntake intake) {
    String id = submitted(intake);
    // another department: as if the application did not exist
    assertThat(StatusApi.read(intake, "dept-sheea", id).statusCode()).isEqualTo(404);
    assertThat(StatusApi.change(intake, "dept-sheea", id, "IN_REVIEW", null).statusCode()).isEqualTo(404);
    // a channel client that did not submit it: the same
    assertThat(StatusApi.read(intake, "demo-counter", id).statusCode()).isEqualTo(404);
    assertThat(StatusApi.change(intake, "demo-counter", id, "WITHDRAWN", null).statusCode()).isEqualTo(404);
    // the submitting client reads it, may not review it, may withdraw it
    assertThat(StatusApi.read(intake, "demo-web", id).statusCode()).isEqualTo(200);
    var review = StatusApi.change(intake, "demo-web", id, "IN_REVIEW", null);
    assertThat(review.statusCode()).isEqualTo(403);
    ApiContract.assertConforms(review, "changeStatus");
    assertThat(StatusApi.change(intake, "demo-web", id, "WITHDRAWN", "changed my mind").statusCode()).isEqualTo(200);
    assertThat(new JsonObject(StatusApi.read(intake, DEPT, id).body()).getString("status")).isEqualTo("WITHDRAWN");
    // an unknown id and a malformed one look the same as someone else's
    assertThat(StatusApi.read(intake, DEPT, UUID.randomUUID().toString()).statusCode()).isEqualTo(404);
    assertThat(StatusApi.read(intake, DEPT, "not-an-id").statusCode()).isEqualTo(404);
  }

  @Test
  void aChangeNeedsAnIdempotencyKeyAndItsReplayAnswersTheSame(TestIntake intake) {
    String id = submitted(intake);
    var noKey = StatusApi.changeWithKey(intake, DEPT, id, "{\"status\":\"IN_REVIEW\"}", null);
    assertThat(noKey.statusCode()).isEqualTo(400);
    String key = "review-" + UUID.randomUUID();
    var first = StatusApi.changeWithKey(intake, DEPT, id, "{\"status\":\"IN_REVIEW\"}", key);
    var replay = StatusApi.changeWithKey(intake, DEPT, id, "{\"status\":\"IN_REVIEW\"}", key);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(new JsonObject(replay.body())).isEqualTo(new JsonObject(first.body()));
    assertThat(StatusApi.changeWithKey(intake, DEPT, id, "{\"status\":\"NEEDS_INFO\"}", key).statusCode())
        .as("the same key for another change").isEqualTo(422);
    assertThat(StatusApi.changeWithKey(intake, DEPT, id, "{\"status\":\"SHIPPED\"}", "k-" + UUID.randomUUID()).statusCode())
        .isEqualTo(400);
    var history = new JsonObject(StatusApi.read(intake, DEPT, id).body()).getJsonArray("history");
    assertThat(history).hasSize(2);
  }

  @Test
  void ofTwoChangesRacingFromTheSameStateOnlyOneSucceeds(TestIntake intake) throws Exception {
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
      for (int round = 0; round < 10; round++) {
        String id = submitted(intake);
        assertThat(StatusApi.change(intake, DEPT, id, "IN_REVIEW", null).statusCode()).isEqualTo(200);
        // the department approves while the citizen withdraws: both are legal from IN_REVIEW, not one after the other
        var approve = pool.submit(() -> StatusApi.change(intake, DEPT, id, "APPROVED", null).statusCode());
        var withdraw = pool.submit(() -> StatusApi.change(intake, "demo-web", id, "WITHDRAWN", null).statusCode());
        assertThat(List.of(approve.get(), withdraw.get())).as("round %d", round).containsExactlyInAnyOrder(200, 409);
        var history = new JsonObject(StatusApi.read(intake, DEPT, id).body()).getJsonArray("history");
        assertThat(history).as("one final entry").hasSize(3);
      }
    }
  }

  private static List<String> pathTo(Status status) {
    return switch (status) {
      case ACCEPTED -> List.of();
      case IN_REVIEW -> List.of("IN_REVIEW");
      case NEEDS_INFO -> List.of("IN_REVIEW", "NEEDS_INFO");
      case APPROVED -> List.of("IN_REVIEW", "APPROVED");
      case REJECTED -> List.of("IN_REVIEW", "REJECTED");
      case WITHDRAWN -> List.of("WITHDRAWN");
    };
  }

  /** A fresh tax return from demo-web, read back at once (the ledger may not have it yet). */
  private static String submitted(TestIntake intake) {
    HttpResponse<String> accepted = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "k-" + UUID.randomUUID(),
        taxReturn(freshApplicant()).encode());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = new JsonObject(accepted.body()).getString("applicationId");
    var read = StatusApi.read(intake, "demo-web", id);
    assertThat(read.statusCode()).as("read right after the 202").isEqualTo(200);
    return id;
  }
}
