package eu.gov.intake.publish;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Applications;
import eu.gov.intake.testing.Await;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.StatusApi;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A department whose topic is missing (deleted, or never created for lack of rights): its applications are still
 * accepted, reach Kafka on the dead-letter topic with their own ce_id (contract section 5), are in the ledger and
 * readable, and nothing else stalls. Both ways there: published at once, and spooled during an outage and routed
 * by the relay. No other test submits to SHEEA on the test run's servers; its topic is put back at the end.
 */
@ExtendWith(IntakeTestRun.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DeadLetterIT {
  private static final String TOPIC = "intake.applications.sheea";

  @Test
  void applicationsForAMissingDepartmentTopicGoToTheDeadLetterTopicAndStayReadable(TestIntake intake) throws Exception {
    var kafka = intake.servers().kafka().orElseThrow().process();
    try (var admin = Admin.create(Map.<String, Object>of("bootstrap.servers", intake.kafkaBootstrap()));
         var pg = new PgProbe(intake.pgUrl())) {
      admin.deleteTopics(List.of(TOPIC)).all().get(30, TimeUnit.SECONDS);
      awaitTopic(admin, false);
      try {
        Await.until("the instance lists the topics again and misses SHEEA's", Duration.ofSeconds(30), Duration.ofMillis(50),
            () -> intake.metric("intake_department_topics_missing") >= 1);
        var ids = new ArrayList<String>();
        for (int i = 0; i < 3; i++) ids.add(accepted(intake));
        Object directIds = ids.stream().map(UUID::fromString).toArray(UUID[]::new);
        assertThat(pg.count("SELECT count(*) FROM spool WHERE application_id = ANY($1)", directIds))
            .as("known missing: published to the dead-letter topic at once, not spooled").isZero();
        pg.awaitSpoolEmpty(Duration.ofSeconds(60));
        kafka.pause();                                        // an outage: these are spooled with their own topic ...
        var spooled = new ArrayList<String>();
        try {
          for (int i = 0; i < 2; i++) spooled.add(accepted(intake));
        } finally {
          kafka.resume();
        }
        Object spooledIds = spooled.stream().map(UUID::fromString).toArray(UUID[]::new);
        assertThat(pg.count("SELECT count(*) FROM spool WHERE topic = $1 AND application_id = ANY($2)", TOPIC, spooledIds))
            .as("spooled for their department's topic").isEqualTo(2);
        pg.awaitSpoolEmpty(Duration.ofSeconds(60));           // ... and the relay routes them to the dead-letter topic
        ids.addAll(spooled);

        var records = Topic.records(intake.kafkaBootstrap(), Topics.DEAD_LETTER, r -> ids.contains(Topic.header(r, "ce_id")), ids.size());
        assertThat(records.stream().map(r -> Topic.header(r, "ce_id")).collect(Collectors.toSet()))
            .as("every accepted application on the dead-letter topic").isEqualTo(Set.copyOf(ids));
        assertThat(records).allSatisfy(r -> {
          String id = Topic.header(r, "ce_id");
          assertThat(r.key()).as("keyed by applicationId").isEqualTo(id);
          assertThat(Topic.header(r, "ce_type")).isEqualTo("gov.intake.application.undeliverable.v1");
          assertThat(Topic.header(r, "ce_subject")).isEqualTo("SHEEA-0010");
          assertThat(Topic.header(r, "ce_intakereason")).isEqualTo("department-topic-missing");
          var value = new JsonObject(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
          assertThat(value.getString("applicationId")).isEqualTo(id);
          assertThat(value.getString("departmentCode")).isEqualTo("SHEEA");
        });

        pg.awaitInLedger(ids, Duration.ofSeconds(60));
        for (String id : ids) {
          var view = StatusApi.read(intake, "dept-sheea", id);
          assertThat(view.statusCode()).as(view.body()).isEqualTo(200);
          assertThat(new JsonObject(view.body()).getString("status")).isEqualTo("ACCEPTED");
        }
        assertThat(intake.metric("intake_dead_lettered_total")).isGreaterThanOrEqualTo(ids.size());
        assertThat(intake.metric("intake_department_topics_missing")).isEqualTo(1);

        // the instance carries on: another department's application reaches its own topic
        var tax = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "dl-" + UUID.randomUUID(),
            Applications.taxReturn(freshApplicant()).encode());
        assertThat(tax.statusCode()).isEqualTo(202);
        String taxId = new JsonObject(tax.body()).getString("applicationId");
        assertThat(Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax", r -> taxId.equals(Topic.header(r, "ce_id")), 1))
            .hasSize(1);
      } finally {
        admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        awaitTopic(admin, true);
      }
    }
  }

  private static String accepted(TestIntake intake) {
    var body = new JsonObject().put("serviceCode", "SHEEA-0010")
        .put("applicant", new JsonObject().put("type", "INDIVIDUAL").put("id", freshApplicant()))
        .put("channel", "WEB")
        .put("payload", new JsonObject().put("residentialAddress", "上海市徐汇区漕溪北路88号").put("district", "徐汇区")
            .put("moveInDate", "2026-10-01").put("contactPhone", "13800138000"));
    var response = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "dl-" + UUID.randomUUID(), body.encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getString("applicationId");
  }

  private static void awaitTopic(Admin admin, boolean present) {
    Await.until("topic " + TOPIC + (present ? " back" : " gone"), Duration.ofSeconds(30), Duration.ofMillis(50), () -> {
      try {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(TOPIC) == present;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

}
