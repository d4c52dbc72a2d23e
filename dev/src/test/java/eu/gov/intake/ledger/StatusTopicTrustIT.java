package eu.gov.intake.ledger;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.publish.Topics;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.StatusApi;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, item 3: {@code intake.status} is only trusted for what Intake's status API wrote. Whoever else can write
 * to the topic (a department's consumer with a producer, a misconfigured ACL) gets its records dead-lettered, not
 * applied; a malformed record does not stop the ledger. Before the fix the forged change was applied, with the
 * forger's {@code by}, and the record with a non-UUID applicationId rewound the ledger for ever: the application
 * submitted after it never reached the ledger.
 */
@ExtendWith(IntakeTestRun.class)
class StatusTopicTrustIT {
  @Test
  void statusRecordsNotWrittenByTheStatusApiAreDeadLetteredAndNeverStopTheLedger(TestIntake intake) throws Exception {
    try (var pg = new PgProbe(intake.pgUrl());
         var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", intake.kafkaBootstrap()),
             new StringSerializer(), new ByteArraySerializer())) {
      String target = accepted(intake);
      String changedByApi = accepted(intake);
      pg.awaitInLedger(List.of(target, changedByApi), Duration.ofSeconds(30));

      String forgedId = "forged-" + UUID.randomUUID();
      String malformedId = "malformed-" + UUID.randomUUID();
      send(producer, forgedId, target, new JsonObject().put("applicationId", target).put("status", "WITHDRAWN")
          .put("at", Instant.now().toString()).put("by", "dept-shtax").encode());
      send(producer, malformedId, "x", new JsonObject().put("applicationId", "not-a-uuid").put("status", "WITHDRAWN")
          .put("at", Instant.now().toString()).put("by", "dept-shtax").encode());
      var viaApi = StatusApi.change(intake, "dept-shtax", changedByApi, "IN_REVIEW", "through the API");
      assertThat(viaApi.statusCode()).as(viaApi.body()).isEqualTo(200);
      String after = accepted(intake);

      pg.awaitInLedger(List.of(after), Duration.ofSeconds(30));      // the ledger went on past both
      var dead = Topic.records(intake.kafkaBootstrap(), Topics.DEAD_LETTER,
          r -> Set.of(forgedId, malformedId).contains(Topic.header(r, "ce_id")), 2);
      assertThat(dead.stream().map(r -> Topic.header(r, "ce_id")).collect(Collectors.toSet())).containsExactlyInAnyOrder(forgedId, malformedId);
      assertThat(dead).allSatisfy(r -> assertThat(Topic.header(r, "ce_type")).isEqualTo("gov.intake.application.status-rejected.v1"));
      assertThat(dead.stream().filter(r -> forgedId.equals(Topic.header(r, "ce_id"))).findFirst().orElseThrow().value())
          .as("the record as it came, for whoever looks into it").asString(StandardCharsets.UTF_8).contains(target);

      var read = new JsonObject(StatusApi.read(intake, "dept-shtax", target).body());
      assertThat(read.getString("status")).as("the forged change was not applied").isEqualTo("ACCEPTED");
      assertThat(pg.count("SELECT count(*) FROM application_history WHERE application_id = $1 AND status <> $2", UUID.fromString(target),
          "ACCEPTED")).isZero();
      assertThat(new JsonObject(StatusApi.read(intake, "dept-shtax", changedByApi).body()).getString("status")).isEqualTo("IN_REVIEW");
      assertThat(Topic.records(intake.kafkaBootstrap(), Topics.DEAD_LETTER, r -> "gov.intake.application.status-rejected.v1"
          .equals(Topic.header(r, "ce_type")) && new String(r.value(), StandardCharsets.UTF_8).contains(changedByApi), 0))
          .as("the status API's own change is not rejected").isEmpty();
      assertThat(intake.metric("intake_ledger_rejected_total", "reason", "not-from-intake")).isGreaterThanOrEqualTo(1);
      assertThat(intake.metric("intake_ledger_rejected_total", "reason", "malformed")).isGreaterThanOrEqualTo(1);
    }
  }

  private static void send(KafkaProducer<String, byte[]> producer, String ceId, String key, String value) throws Exception {
    var record = new ProducerRecord<>(Topics.STATUS, key, value.getBytes(StandardCharsets.UTF_8));
    record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
    record.headers().add("ce_id", ceId.getBytes(StandardCharsets.UTF_8));
    record.headers().add("ce_type", "gov.intake.application.status-changed.v1".getBytes(StandardCharsets.UTF_8));
    producer.send(record).get();
  }

  private static String accepted(TestIntake intake) {
    var response = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "k-" + UUID.randomUUID(), taxReturn(freshApplicant()).encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getString("applicationId");
  }
}
