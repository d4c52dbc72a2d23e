package eu.gov.intake.submission;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A citizen's double clicks, twenty at once: one application, one record, and every other answer a 409 or a replay. */
@ExtendWith(IntakeTestRun.class)
class ConcurrentRetriesIT {
  @Test
  void sameKeyFromTwentyClientsAtOnceYieldsOneApplicationIdAndOneRecord(TestIntake intake) throws Exception {
    String key = "k-" + UUID.randomUUID();
    String body = taxReturn(freshApplicant()).encode();
    var start = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    try (var pool = Executors.newFixedThreadPool(20)) {
      for (int i = 0; i < 20; i++) {
        answers.add(pool.submit(() -> {
          start.await();
          return Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, body);
        }));
      }
      start.countDown();
      var ids = new java.util.HashSet<String>();
      int accepted = 0;
      for (var answer : answers) {
        var response = answer.get();
        assertThat(response.statusCode()).as(response.body()).isIn(202, 409);
        if (response.statusCode() == 202) {
          accepted++;
          ids.add(new JsonObject(response.body()).getString("applicationId"));
        }
      }
      assertThat(accepted).isGreaterThanOrEqualTo(1);
      assertThat(ids).hasSize(1);
      long fresh = answers.stream().map(ConcurrentRetriesIT::get)
          .filter(r -> r.statusCode() == 202 && r.headers().firstValue("Idempotent-Replayed").isEmpty()).count();
      assertThat(fresh).isEqualTo(1);
      String id = ids.iterator().next();
      assertThat(Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax", r -> id.equals(Topic.header(r, "ce_id")), 1))
          .hasSize(1);
    }
  }

  private static HttpResponse<String> get(Future<HttpResponse<String>> f) {
    try {
      return f.get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
