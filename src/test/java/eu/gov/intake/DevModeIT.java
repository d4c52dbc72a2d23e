package eu.gov.intake;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Dev mode as a newcomer uses it, in its own JVM: start, submit, SIGTERM, start again over the same data.
 * The application sent before the restart is still on its topic, the demo keys still work, the replay still
 * replays, and each stop leaves none of the servers behind.
 */
class DevModeIT {
  private static final Pattern SERVER_PID = Pattern.compile("(kafka|redis|postgres) ready at .* \\(pid (\\d+)\\)");

  @Test
  void restartKeepsApplicationsKeysAndIdempotencyRecords() throws Exception {
    Path dir = Files.createDirectories(Path.of(System.getProperty("intake.test.dir", "target/it"), "devmode-" + ProcessHandle.current().pid()));
    Path data = dir.resolve(".intake");
    String body = "{\"serviceCode\":\"SHEEA-0010\",\"applicant\":{\"type\":\"INDIVIDUAL\",\"id\":\"310101199203034321\"},"
        + "\"channel\":\"WEB\",\"payload\":{\"residentialAddress\":\"上海市徐汇区漕溪北路88号\",\"district\":\"徐汇区\","
        + "\"moveInDate\":\"2026-03-01\",\"contactPhone\":\"13812345678\"}}";

    var first = DevProcess.start(dir, data, "first.log");
    var firstDevJson = first.awaitReady();
    String key = keyOf(firstDevJson);
    var accepted = Http.submit(first.apiPort(), key, "restart-1", body);
    assertThat(accepted.statusCode()).isEqualTo(202);
    String id = new JsonObject(accepted.body()).getString("applicationId");
    first.stopAndAssertNoServersLeft();

    var second = DevProcess.start(dir, data, "second.log");
    var secondDevJson = second.awaitReady();
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

  private static String keyOf(JsonObject devJson) {
    return devJson.getJsonArray("clients").stream().map(JsonObject.class::cast)
        .filter(c -> "demo-web".equals(c.getString("clientId"))).findFirst().orElseThrow().getString("apiKey");
  }

  private record DevProcess(Process process, Path log, Path data) {
    static DevProcess start(Path dir, Path data, String logName) throws IOException {
      Path log = dir.resolve(logName);
      var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-Dintake.kafka.classpath=" + System.getProperty("intake.kafka.classpath"),
          "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
          Main.class.getName(), "dev")
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().keySet().removeIf(k -> k.startsWith("INTAKE_"));
      builder.environment().putAll(java.util.Map.of("INTAKE_DATA_DIR", data.toString(), "INTAKE_HTTP_PORT", "0",
          "INTAKE_MANAGEMENT_PORT", "0"));
      return new DevProcess(builder.start(), log, data);
    }

    JsonObject awaitReady() throws Exception {
      for (int i = 0; i < 1200 && process.isAlive(); i++) {
        if (Files.readString(log).contains("Intake ready")) return new JsonObject(Files.readString(data.resolve("dev.json")));
        TimeUnit.MILLISECONDS.sleep(100);
      }
      throw new AssertionError("dev mode did not get ready; see " + log);
    }

    int apiPort() throws IOException {
      String api = new JsonObject(Files.readString(data.resolve("dev.json"))).getString("api");
      return Integer.parseInt(api.substring(api.lastIndexOf(':') + 1));
    }

    void stopAndAssertNoServersLeft() throws Exception {
      List<Long> servers = SERVER_PID.matcher(Files.readString(log)).results().map(m -> Long.parseLong(m.group(2))).toList();
      assertThat(servers).hasSize(3);
      process.destroy();                                      // SIGTERM, as Ctrl-C or an orchestrator would
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("dev mode exits after SIGTERM").isTrue();
      assertThat(Files.readString(log)).contains("Intake stopped");
      for (long pid : servers) {
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("server pid %d", pid).isEmpty();
      }
    }
  }
}
