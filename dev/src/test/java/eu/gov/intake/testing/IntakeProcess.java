package eu.gov.intake.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Intake in a JVM of its own, as an operator runs it ({@code dev}, or production mode with endpoints in the
 * environment), so that a test can SIGTERM or SIGKILL it. Its log goes to a file the test reads.
 */
public record IntakeProcess(Process process, Path log, int apiPort, int managementPort) {
  private static final Pattern READY = Pattern.compile("Intake ready in \\d+ ms: api (?:http://127\\.0\\.0\\.1:(\\d+)|off) management http://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern SERVER_PID = Pattern.compile("(kafka|redis|postgres) ready at .* \\(pid (\\d+)\\)");
  /** The dev secret: the same applicant keys as the test run's own instance. */
  public static final String DEV_SECRET = "dev-only-applicant-key-secret-do-not-use-in-production";

  /** Starts Intake with the given command ("dev": the dev entry point; else the operator's, e.g. "serve") and INTAKE_* settings, and waits for "Intake ready". */
  public static IntakeProcess start(Path log, List<String> command, Map<String, String> env) throws Exception {
    var process = launch(log, command, env);
    for (int i = 0; i < 1200 && process.isAlive(); i++) {
      var ready = READY.matcher(Files.readString(log));
      if (ready.find()) {
        return new IntakeProcess(process, log, ready.group(1) == null ? -1 : Integer.parseInt(ready.group(1)), Integer.parseInt(ready.group(2)));
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    process.destroyForcibly();
    throw new AssertionError("Intake did not get ready; see " + log);
  }

  private static final java.util.Set<Path> LOGS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Every log file an Intake process of this test run wrote to, for LogPrivacyIT's scan. */
  public static java.util.Set<Path> logs() { return java.util.Set.copyOf(LOGS); }

  /** The same process, not waited for: its output goes to {@code log}, only these INTAKE_* settings (none inherited). */
  public static Process launch(Path log, List<String> command, Map<String, String> env) throws Exception {
    Files.createDirectories(log.getParent());
    LOGS.add(log);
    var args = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        // settings that name a log format get the distribution's logging (logback.xml); else the tests' own file,
        // first on the class path
        env.containsKey("INTAKE_LOG_FORMAT") ? "-Dlogback.configurationFile=logback.xml" : "-Dintake.test.logging=true",
        "-Dintake.kafka.classpath=" + System.getProperty("intake.kafka.classpath"),
        "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        command.get(0).equals("dev") ? "eu.gov.intake.dev.DevMain" : "eu.gov.intake.cli.IntakeCli"));
    args.addAll(command);
    var builder = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("INTAKE_"));
    builder.environment().putAll(Map.of("INTAKE_HTTP_PORT", "0", "INTAKE_MANAGEMENT_PORT", "0"));
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Production mode against the test run's servers. */
  public static IntakeProcess onServersOf(TestIntake shared, Path log, Map<String, String> env) throws Exception {
    var all = new java.util.HashMap<>(env);
    all.putAll(Map.of("INTAKE_KAFKA_BOOTSTRAP", shared.kafkaBootstrap(), "INTAKE_REDIS_URL", shared.redisUrl(),
        "INTAKE_PG_URL", shared.pgUrl(), "INTAKE_APPLICANT_KEY_SECRET", DEV_SECRET,
        "INTAKE_RECEIPT_SIGNING_KEY", eu.gov.intake.config.IntakeConfig.DEV_RECEIPT_SIGNING_KEY));
    return start(log, List.of("serve"), all);
  }

  /** The pids of the servers dev mode started, from its log. */
  public List<Long> serverPids() throws IOException {
    return SERVER_PID.matcher(Files.readString(log)).results().map(m -> Long.parseLong(m.group(2))).toList();
  }

  public JsonObject devJson(Path dataDir) throws IOException {
    return new JsonObject(Files.readString(dataDir.resolve("dev.json")));
  }

  /** The API key dev mode made for a demo client, from its dev.json. */
  public String devKey(Path dataDir, String clientId) throws IOException {
    return devJson(dataDir).getJsonArray("clients").stream().map(JsonObject.class::cast)
        .filter(c -> clientId.equals(c.getString("clientId"))).findFirst().orElseThrow().getString("apiKey");
  }

  /**
   * SIGKILL, as a crash would; waits until the JVM and the servers it started are gone (they die with it), so
   * that dev mode can be started again over the same data directory.
   */
  public void killAndAwaitServersGone() throws Exception {
    List<Long> servers = serverPids();
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("Intake dies on SIGKILL").isTrue();
    for (long pid : servers) {
      var server = ProcessHandle.of(pid);
      if (server.isPresent()) server.get().onExit().get(30, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM, as Ctrl-C or an orchestrator would; waits for the exit and checks that no server is left. */
  public void stopAndAssertNoServersLeft() throws Exception {
    List<Long> servers = serverPids();
    process.destroy();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("Intake exits after SIGTERM").isTrue();
    assertThat(Files.readString(log)).contains("Intake stopped");
    for (long pid : servers) {
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("server pid %d", pid).isEmpty();
    }
  }
}
