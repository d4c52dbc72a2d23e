package eu.gov.intake;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.IntakeProcess;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dev mode as a newcomer uses it, in its own JVM: start, submit, SIGTERM, start again over the same data.
 * The application sent before the restart is still on its topic, the demo keys still work, the replay still
 * replays, and each stop leaves none of the servers behind.
 */
class DevModeIT {

  @Test
  void restartKeepsApplicationsKeysAndIdempotencyRecords() throws Exception {
    Path dir = Files.createDirectories(eu.gov.intake.testing.TestDirs.fresh("devmode"));
    Path data = dir.resolve(".intake");
    String body = "{\"serviceCode\":\"SHEEA-0010\",\"applicant\":{\"type\":\"INDIVIDUAL\",\"id\":\"310101199203034321\"},"
        + "\"channel\":\"WEB\",\"payload\":{\"residentialAddress\":\"上海市徐汇区漕溪北路88号\",\"district\":\"徐汇区\","
        + "\"moveInDate\":\"2026-03-01\",\"contactPhone\":\"13812345678\"}}";

    var first = IntakeProcess.start(dir.resolve("first.log"), List.of("dev"), Map.of("INTAKE_DATA_DIR", data.toString()));
    var firstDevJson = first.devJson(data);
    String key = keyOf(firstDevJson);
    // issue 13, item 6: the demo keys and the dev servers' passwords were readable by every user of the machine
    for (Path secret : List.of(data.resolve("dev.json"), data.resolve("devservices.properties"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).as(secret.toString()).isEqualTo("rw-------");
    }
    var accepted = Http.submit(first.apiPort(), key, "restart-1", body);
    assertThat(accepted.statusCode()).isEqualTo(202);
    String id = new JsonObject(accepted.body()).getString("applicationId");
    first.stopAndAssertNoServersLeft();

    var second = IntakeProcess.start(dir.resolve("second.log"), List.of("dev"), Map.of("INTAKE_DATA_DIR", data.toString()));
    var secondDevJson = second.devJson(data);
    try {
      assertThat(keyOf(secondDevJson)).isEqualTo(key);
      var replay = Http.submit(second.apiPort(), key, "restart-1", body);
      assertThat(replay.statusCode()).isEqualTo(202);
      assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
      assertThat(new JsonObject(replay.body()).getString("applicationId")).isEqualTo(id);
      assertThat(Topic.records(secondDevJson.getString("kafka"), "intake.applications.sheea",
          r -> id.equals(Topic.header(r, "ce_id")), 1)).hasSize(1);
    } finally {
      second.stopAndAssertNoServersLeft();
    }
  }

  /**
   * Issue 13, item 6: dev mode pointed at a PostgreSQL it did not start seeded it with demo clients (department keys
   * with a limit of 1,000,000/s) and served with the published dev receipt key. It now refuses, in one line, and
   * writes nothing there; a developer who means it says so with --seed-external-servers.
   */
  @Test
  @ExtendWith(IntakeTestRun.class)
  void againstADatabaseItDidNotStartDevModeRefusesAndPlantsNothing(TestIntake shared) throws Exception {
    Path dir = Files.createDirectories(eu.gov.intake.testing.TestDirs.fresh("devmode-external"));
    String pgUrl = PgProbe.freshDatabase(shared.pgUrl(), "dev_external");
    var process = IntakeProcess.launch(dir.resolve("refused.log"), List.of("dev"), Map.of("INTAKE_DATA_DIR", dir.resolve(".intake").toString(),
        "INTAKE_PG_URL", pgUrl, "INTAKE_KAFKA_BOOTSTRAP", shared.kafkaBootstrap(), "INTAKE_REDIS_URL", shared.redisUrl()));
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("dev mode stopped by itself").isTrue();
    String output = Files.readString(dir.resolve("refused.log"));
    assertThat(process.exitValue()).as(output).isEqualTo(2);
    assertThat(output).contains("--seed-external-servers").contains("PostgreSQL").doesNotContain(pgUrl);
    assertThat(output.strip().lines().filter(l -> l.startsWith("intake dev:"))).hasSize(1);
    try (var pg = new PgProbe(pgUrl)) {
      assertThat(pg.count("SELECT count(*) FROM pg_tables WHERE tablename = 'clients'")).as("not even migrated").isZero();
    }
    assertThat(dir.resolve(".intake").resolve("dev.json")).doesNotExist();
  }

  private static String keyOf(JsonObject devJson) {
    return devJson.getJsonArray("clients").stream().map(JsonObject.class::cast)
        .filter(c -> "demo-web".equals(c.getString("clientId"))).findFirst().orElseThrow().getString("apiKey");
  }
}
