package eu.gov.intake.publish;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.IntakeProcess;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An Intake instance (its own JVM) is SIGKILLed while its relay drains a spool of 300 applications to Kafka:
 * the records it had sent were acknowledged but their rows were not marked yet. Started again, it relays
 * what is left; every application is on its topic, and every repeat carries the same ce_id and content.
 */
@ExtendWith(IntakeTestRun.class)
class RelayCrashIT {
  private static final String TOPIC = "intake.applications.shtax";
  private static final int APPLICATIONS = 300;

  @Test
  void killedMidRelayAndStartedAgainLosesNothingAndRepeatsOnlyWithTheSameCeId(TestIntake intake) throws Exception {
    Path dir = eu.gov.intake.testing.TestDirs.fresh("relay-crash");
    // small relay batches, so that a pass is many transactions and the kill lands between two of them
    var env = Map.of("INTAKE_RELAY_BATCH", "10", "INTAKE_RELAY_INTERVAL", "100ms", "INTAKE_REQUEST_DEADLINE", "3s");
    var first = IntakeProcess.onServersOf(intake, dir.resolve("first.log"), env);
    var kafka = intake.servers().kafka().orElseThrow().process();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    long pendingAtKill;
    try (var pg = new PgProbe(intake.pgUrl())) {
      pg.awaitSpoolEmpty(Duration.ofSeconds(60));
      long before = endOffset(intake);
      kafka.pause();                                            // SIGSTOP: every submission goes to the spool
      try (var clients = Executors.newFixedThreadPool(3)) {
        var running = new java.util.ArrayList<java.util.concurrent.Future<?>>();
        for (int c = 0; c < 3; c++) {
          running.add(clients.submit(() -> {
            for (int i = 0; i < APPLICATIONS / 3; i++) {
              var response = Http.submit(first.apiPort(), intake.keyOf("demo-web"), "crash-" + UUID.randomUUID(),
                  taxReturn(freshApplicant()).encode());
              assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
              acked.add(new JsonObject(response.body()).getString("applicationId"));
            }
            return null;
          }));
        }
        for (var client : running) client.get();
      } finally {
        kafka.resume();
      }
      assertThat(acked).hasSize(APPLICATIONS);
      while (endOffset(intake) == before) Thread.onSpinWait();  // the relay's first records are acknowledged ...
      first.process().destroyForcibly();                        // ... and the instance dies mid-relay (SIGKILL)
      first.process().waitFor();
      pendingAtKill = pg.count("SELECT count(*) FROM spool WHERE published_at IS NULL AND application_id = ANY($1)",
          (Object) acked.stream().map(UUID::fromString).toArray(UUID[]::new));
      assertThat(pendingAtKill).as("rows still to relay when the instance died").isPositive();

      var second = IntakeProcess.onServersOf(intake, dir.resolve("second.log"), env);
      try {
        pg.awaitSpoolEmpty(Duration.ofSeconds(120));
      } finally {
        second.process().destroy();
        second.process().waitFor();
      }
    }
    var records = Topic.records(intake.kafkaBootstrap(), TOPIC, r -> acked.contains(Topic.header(r, "ce_id")), APPLICATIONS);
    var firstSeen = new HashMap<String, byte[]>();
    int repeats = 0;
    for (var r : records) {
      var earlier = firstSeen.putIfAbsent(Topic.header(r, "ce_id"), r.value());
      if (earlier != null) {
        repeats++;
        assertThat(r.value()).as("a repeat carries the same ce_id and the same content").isEqualTo(earlier);
      }
    }
    assertThat(firstSeen.keySet()).as("every acknowledged application is on its topic").isEqualTo(acked);
    System.out.printf("relay crash: %d of %d rows unrelayed at the kill, %d repeats on the topic%n", pendingAtKill, APPLICATIONS, repeats);
  }

  private static long endOffset(TestIntake intake) {
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", intake.kafkaBootstrap()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
      return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
