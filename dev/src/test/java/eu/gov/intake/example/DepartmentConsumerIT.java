package eu.gov.intake.example;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.StatusApi;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The department consumer example against a running Intake: every new SHTAX application ends IN_REVIEW
 * exactly once, and a twin on the topic (the same ce_id twice, as after a relay crash) is dropped.
 */
@ExtendWith(IntakeTestRun.class)
class DepartmentConsumerIT {
  @Test
  void movesEachApplicationToInReviewOnceAndDropsTwins(TestIntake intake) {
    var ids = new ArrayList<String>();
    for (int i = 0; i < 5; i++) {
      var accepted = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "dc-" + UUID.randomUUID(), taxReturn(freshApplicant()).encode());
      assertThat(accepted.statusCode()).isEqualTo(202);
      ids.add(new JsonObject(accepted.body()).getString("applicationId"));
    }
    var original = Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax", r -> ids.get(0).equals(Topic.header(r, "ce_id")), 1).get(0);
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", intake.kafkaBootstrap()),
        new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(original.topic(), null, original.key(), original.value(), original.headers())).get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }

    var vertx = Vertx.vertx();
    try {
      var report = new DepartmentConsumer(vertx, new DepartmentConsumer.Settings(
          eu.gov.intake.config.IntakeConfig.fromEnv(Map.of(), true).kafka().withBootstrap(intake.kafkaBootstrap()),
          URI.create("http://127.0.0.1:" + intake.apiPort()), intake.keyOf("dept-shtax"), "SHTAX", Duration.ofSeconds(3))).run().await();
      assertThat(report.failed()).isZero();
      assertThat(report.repeats()).as("the twin was dropped by ce_id").isPositive();
      assertThat(report.moved()).isGreaterThanOrEqualTo(ids.size());
    } finally {
      vertx.close().await();
    }
    for (String id : ids) {
      var view = new JsonObject(StatusApi.read(intake, "dept-shtax", id).body());
      assertThat(view.getString("status")).isEqualTo("IN_REVIEW");
      assertThat(view.getJsonArray("history").stream().map(JsonObject.class::cast).filter(e -> "IN_REVIEW".equals(e.getString("status"))))
          .hasSize(1);
    }
  }
}
