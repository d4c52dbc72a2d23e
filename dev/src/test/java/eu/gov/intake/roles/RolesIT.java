package eu.gov.intake.roles;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Await;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.IntakeProcess;
import eu.gov.intake.testing.OperatorIntake;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestDirs;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * INTAKE_ROLES, as a deployment that runs the ledger apart would use it: an instance with the api role alone
 * accepts into the spool during a Kafka outage but neither relays nor records; an instance with relay and ledger
 * alone opens no API port, relays those rows and records them; and once Kafka is back the api instance publishes
 * directly again (no relay of its own tells it: it asks Kafka's cluster), the other one recording what it sent; and once
 * the spool is drained, its submissions no longer ask PostgreSQL whether their applicant waits there.
 * Both on a database of their own on the run's PostgreSQL, so that the run's own instance relays and records none of it.
 */
@ExtendWith(IntakeTestRun.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RolesIT {
  private static final String PENDING = "SELECT count(*) FROM spool WHERE published_at IS NULL AND application_id = ANY($1)";

  @Test
  void anApiInstanceAndARelayAndLedgerInstanceShareTheWork(TestIntake shared) throws Exception {
    var dir = TestDirs.fresh("roles");
    String pgUrl = PgProbe.freshDatabase(shared.pgUrl(), "roles_apart");
    var settings = new HashMap<>(Map.of("INTAKE_KAFKA_BOOTSTRAP", shared.kafkaBootstrap(), "INTAKE_REDIS_URL", shared.redisUrl(),
        "INTAKE_PG_URL", pgUrl, "INTAKE_LEDGER_GROUP", "roles-ledger", "INTAKE_RELAY_INTERVAL", "200ms"));
    var apiSettings = new HashMap<>(settings);
    apiSettings.put("INTAKE_ROLES", "api");
    var kafka = shared.servers().kafka().orElseThrow().process();
    try (var api = OperatorIntake.start(dir.resolve("api"), apiSettings, "roles-web", 1000, 1000);
         var pg = new PgProbe(pgUrl)) {
      var spooled = new ArrayList<String>();
      kafka.pause();                                              // SIGSTOP: the api instance spools
      try {
        for (int i = 0; i < 10; i++) spooled.add(submit(api));
      } finally {
        kafka.resume();
      }
      Object spooledIds = spooled.stream().map(UUID::fromString).toArray(UUID[]::new);
      Thread.sleep(2000);                       // that nothing happens: 10 relay intervals (200 ms), in which a relay would have run
      assertThat(pg.count(PENDING, spooledIds)).as("an api-only instance does not relay").isEqualTo(10);
      assertThat(pg.count("SELECT count(*) FROM applications")).as("nor record the ledger").isZero();
      Await.until("the api-only instance counts the spool without a relay of its own", Duration.ofSeconds(10), Duration.ofMillis(100),
          () -> api.metric("intake_spool_depth") == 10);

      var workerEnv = new HashMap<>(api.env());
      workerEnv.put("INTAKE_ROLES", "relay,ledger");
      var worker = IntakeProcess.start(dir.resolve("worker.log"), List.of("serve"), workerEnv);
      try {
        assertThat(worker.apiPort()).as("no API port without the api role").isEqualTo(-1);
        assertThat(Files.readString(worker.log())).contains("api off", "(roles relay,ledger)");
        pg.awaitSpoolEmpty(Duration.ofSeconds(60));
        pg.awaitInLedger(spooled, Duration.ofSeconds(60));

        // Kafka is back: the api instance finds out by itself and publishes directly again, the worker recording those
        var direct = new ArrayList<String>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
          String id = submit(api);
          boolean wentToKafka = pg.count("SELECT count(*) FROM spool WHERE application_id = $1", UUID.fromString(id)) == 0;
          if (wentToKafka) direct.add(id);
          if (direct.size() >= 3) break;
          Thread.sleep(500);
        }
        assertThat(direct).as("the api instance publishes to Kafka again by itself").hasSize(3);
        pg.awaitInLedger(direct, Duration.ofSeconds(60));
        Await.until("the api-only instance sees the spool drained", Duration.ofSeconds(10), Duration.ofMillis(100),
            () -> api.metric("intake_spool_depth") == 0);
      } finally {
        worker.stopAndAssertNoServersLeft();
      }
    }
  }

  private static String submit(OperatorIntake api) {
    var response = Http.submit(api.apiPort(), api.apiKey(), "roles-" + UUID.randomUUID(), taxReturn(freshApplicant()).encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getString("applicationId");
  }
}
