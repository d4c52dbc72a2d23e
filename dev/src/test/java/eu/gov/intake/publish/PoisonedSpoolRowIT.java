package eu.gov.intake.publish;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, item 4: a spooled row Kafka will never take (here: larger than its topic's {@code max.message.bytes}, a
 * limit an operator set below the service's maxBodyBytes) goes to the dead-letter topic after a bounded number of
 * attempts; the rows of its shard behind it are published meanwhile. Before the fix the shard's batch failed as a
 * whole on every pass: the spool never drained, and every applicant of that shard waited behind the one row.
 */
@ExtendWith(IntakeTestRun.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PoisonedSpoolRowIT {
  private static final String TOPIC = "intake.applications.shamr";

  @Test
  void aRowKafkaRefusesIsDeadLetteredAfterBoundedAttemptsAndTheRestOfItsShardGoesOn(TestIntake intake) throws Exception {
    var kafka = intake.servers().kafka().orElseThrow().process();
    var topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
    try (var admin = Admin.create(Map.<String, Object>of("bootstrap.servers", intake.kafkaBootstrap()));
         var pg = new PgProbe(intake.pgUrl())) {
      pg.awaitSpoolEmpty(Duration.ofSeconds(60));
      // above the producer's batch.size (16 KiB): below it Kafka's producer splits a refused batch for ever (KAFKA-8350)
      alter(admin, topic, new AlterConfigOp(new ConfigEntry("max.message.bytes", "20000"), AlterConfigOp.OpType.SET));
      try {
        String big;
        var small = new ArrayList<String>();
        long sharing = 0;
        kafka.pause();                                        // an outage: all of them are spooled
        try {
          big = accepted(intake, registration(1900, 50));    // ~24 KB: within the service's limit, not the topic's
          // other applicants until three of them are in the refused row's shard (one in 16 is)
          while (sharing < 3 && small.size() < 300) {
            small.add(accepted(intake, registration(10, 1)));
            sharing = pg.count("SELECT count(*) FROM spool WHERE shard = (SELECT shard FROM spool WHERE application_id = $1) "
                + "AND application_id <> $1 AND application_id = ANY($2)", UUID.fromString(big),
                small.stream().map(UUID::fromString).toArray(UUID[]::new));
          }
        } finally {
          kafka.resume();
        }
        assertThat(sharing).isEqualTo(3);

        pg.awaitSpoolEmpty(Duration.ofSeconds(90));

        var dead = Topic.records(intake.kafkaBootstrap(), Topics.DEAD_LETTER, r -> big.equals(Topic.header(r, "ce_id")), 1);
        assertThat(dead).hasSize(1);
        assertThat(Topic.header(dead.get(0), "ce_type")).isEqualTo("gov.intake.application.undeliverable.v1");
        assertThat(Topic.header(dead.get(0), "ce_intakereason")).isEqualTo("refused-by-kafka");
        assertThat(pg.count("SELECT attempts FROM spool WHERE application_id = $1", UUID.fromString(big))).isEqualTo(3);
        var delivered = Topic.records(intake.kafkaBootstrap(), TOPIC, r -> small.contains(Topic.header(r, "ce_id")), small.size());
        assertThat(delivered.stream().map(r -> Topic.header(r, "ce_id")).distinct().count())
            .as("every other application, three of them in the refused row's shard").isEqualTo(small.size());
        assertThat(intake.metric("intake_dead_lettered_total", "reason", "refused-by-kafka")).isGreaterThanOrEqualTo(1);
        pg.awaitInLedger(List.of(big), Duration.ofSeconds(30));   // from the dead-letter topic: readable, not lost
      } finally {
        alter(admin, topic, new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE));
      }
    }
  }

  private static void alter(Admin admin, ConfigResource topic, AlterConfigOp op) throws Exception {
    admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get(30, TimeUnit.SECONDS);
  }

  /**
   * SHAMR-0001, a company registration: a business scope of {@code scopeChars} random CJK characters (3 bytes each,
   * which LZ4 hardly compresses) and {@code shareholders} shareholders with names of 100 such characters.
   */
  private static JsonObject registration(int scopeChars, int shareholders) {
    var owners = new JsonArray();
    for (int i = 0; i < shareholders; i++) owners.add(new JsonObject().put("name", cjk(100)).put("sharePercent", 100.0 / shareholders));
    return new JsonObject().put("serviceCode", "SHAMR-0001")
        .put("applicant", new JsonObject().put("type", "ENTERPRISE").put("id", "9131" + freshApplicant().substring(4)))
        .put("channel", "WEB")
        .put("payload", new JsonObject().put("companyName", "测试有限公司").put("companyType", "LIMITED_LIABILITY")
            .put("registeredCapital", 1000000).put("businessScope", cjk(scopeChars)).put("registeredAddress", "上海市黄浦区人民大道200号")
            .put("legalRepresentative", new JsonObject().put("name", "张三").put("idNumber", "310101199001011234"))
            .put("shareholders", owners));
  }

  private static String cjk(int chars) {
    var text = new StringBuilder();
    var random = ThreadLocalRandom.current();
    for (int i = 0; i < chars; i++) text.appendCodePoint(0x4E00 + random.nextInt(0x5000));
    return text.toString();
  }

  private static String accepted(TestIntake intake, JsonObject application) {
    var response = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "k-" + UUID.randomUUID(), application.encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getString("applicationId");
  }
}
