package eu.gov.intake.publish;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Await;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.IntakeProcess;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestDirs;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An Intake instance (its own JVM) is SIGKILLed while its relay drains a spool of 300 applications to Kafka:
 * the records it had sent may have been acknowledged without their rows being marked. Started again, it
 * relays what is left; every application is on its topic, and every repeat carries the same ce_id and content.
 *
 * <p>The instance runs in dev mode on the test run's Kafka and Redis but with a PostgreSQL of its own, so that
 * its spool is relayed by it alone: the test run's own instance would otherwise drain the rows first, and the
 * kill would land after the relay instead of in it. Its ledger is a consumer group of its own, for the same
 * reason: the records it reads must still reach the test run's ledger.
 */
@ExtendWith(IntakeTestRun.class)
// servers stopped, killed and started again: longer than the default bound of a test, still bounded
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RelayCrashIT {
  private static final String TOPIC = "intake.applications.shtax";
  private static final int APPLICATIONS = 300;
  private static final String PENDING = "SELECT count(*) FROM spool WHERE published_at IS NULL AND application_id = ANY($1)";

  @Test
  void killedMidRelayAndStartedAgainLosesNothingAndRepeatsOnlyWithTheSameCeId(TestIntake intake) throws Exception {
    Path dir = TestDirs.fresh("relay-crash");
    Path data = dir.resolve("data");
    // small relay batches, so that the drain is many transactions and the kill lands between two of them
    var env = Map.of("INTAKE_DATA_DIR", data.toString(), "INTAKE_KAFKA_BOOTSTRAP", intake.kafkaBootstrap(),
        "INTAKE_REDIS_URL", intake.redisUrl(), "INTAKE_RELAY_BATCH", "5", "INTAKE_RELAY_INTERVAL", "100ms",
        "INTAKE_REQUEST_DEADLINE", "3s", "INTAKE_LEDGER_GROUP", "relay-crash-ledger");
    var first = IntakeProcess.start(dir.resolve("first.log"), List.of("dev"), env);
    var kafka = intake.servers().kafka().orElseThrow().process();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    long pendingAtKill;
    try (var pg = new PgProbe(first.devJson(data).getString("postgres"))) {
      String key = first.devKey(data, "demo-web");
      kafka.pause();                                            // SIGSTOP: every submission goes to the spool
      try (var clients = Executors.newFixedThreadPool(3)) {
        var running = new ArrayList<Future<?>>();
        for (int c = 0; c < 3; c++) {
          running.add(clients.submit(() -> {
            for (int i = 0; i < APPLICATIONS / 3; i++) {
              var response = Http.submit(first.apiPort(), key, "crash-" + UUID.randomUUID(), taxReturn(freshApplicant()).encode());
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
      Object ids = acked.stream().map(UUID::fromString).toArray(UUID[]::new);
      // past the probes (one row per shard) and into the batches: some rows acknowledged and marked ...
      Await.until("the relay past its probes, 50 rows marked", Duration.ofSeconds(60), Duration.ofMillis(1),
          () -> pg.count(PENDING, ids) <= APPLICATIONS - 50);
      signal(first.process(), "STOP");                          // ... the instance frozen mid-relay ...
      pendingAtKill = pg.count(PENDING, ids);
      first.killAndAwaitServersGone();                          // ... and dies (SIGKILL); its PostgreSQL with it
      assertThat(pendingAtKill).as("rows still to relay when the instance died").isBetween(1L, APPLICATIONS - 1L);
    }

    var second = IntakeProcess.start(dir.resolve("second.log"), List.of("dev"), env);
    try (var pg = new PgProbe(second.devJson(data).getString("postgres"))) {
      pg.awaitSpoolEmpty(Duration.ofSeconds(120));
    } finally {
      second.stopAndAssertNoServersLeft();
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

  private static void signal(Process process, String signal) throws Exception {
    assertThat(new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).start().waitFor()).isZero();
  }
}
