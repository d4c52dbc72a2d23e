package eu.gov.intake.testing;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.config.IntakeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Intake as an operator runs it on servers of a test's own: only {@code INTAKE_*} settings, {@code intake migrate},
 * the demo catalog loaded with {@code intake catalog load}, a client made with {@code intake clients create}, then
 * {@code intake serve} as a process of its own.
 */
public record OperatorIntake(IntakeProcess process, Map<String, String> env, String apiKey) implements AutoCloseable {
  /** The settings every such instance needs besides the endpoints: secrets, short deadlines for quick tests. */
  public static Map<String, String> baseSettings() {
    return Map.of("INTAKE_APPLICANT_KEY_SECRET", IntakeProcess.DEV_SECRET, "INTAKE_RECEIPT_SIGNING_KEY", IntakeConfig.DEV_RECEIPT_SIGNING_KEY,
        "INTAKE_REQUEST_DEADLINE", "3s", "INTAKE_LOG_FORMAT", "text", "INTAKE_HTTP_HOST", "127.0.0.1");
  }

  /** Migrates, loads the catalog, makes client {@code clientId} (channel WEB) at this rate, and serves. */
  public static OperatorIntake start(Path dir, Map<String, String> settings, String clientId, int rate, int burst) throws Exception {
    return start(dir, settings, clientId, rate, burst, env -> {});
  }

  /** Something done to the prepared database before the first serve (what an earlier version left there). */
  public interface BeforeServe { void on(Map<String, String> env) throws Exception; }

  public static OperatorIntake start(Path dir, Map<String, String> settings, String clientId, int rate, int burst,
                                     BeforeServe beforeServe) throws Exception {
    var env = new HashMap<>(baseSettings());
    env.putAll(settings);
    prepare(dir, env);
    beforeServe.on(env);
    var created = Cli.run(env, "clients", "create", clientId, "--channels", "WEB", "--rate", Integer.toString(rate),
        "--burst", Integer.toString(burst));
    assertThat(created.exit()).as(created.err()).isZero();
    String key = created.out().lines().toList().get(1).strip();
    return new OperatorIntake(IntakeProcess.start(dir.resolve("serve.log"), List.of("serve"), env), env, key);
  }

  /** The admin steps before a first serve: migrate and load the demo catalog. */
  public static void prepare(Path dir, Map<String, String> env) throws Exception {
    Files.createDirectories(dir);
    var migrated = Cli.run(env, "migrate");
    assertThat(migrated.exit()).as(migrated.err()).isZero();
    Path catalog = dir.resolve("catalog.json");
    try (var in = OperatorIntake.class.getClassLoader().getResourceAsStream("catalog/demo-catalog.json")) {
      Files.write(catalog, in.readAllBytes());
    }
    var loaded = Cli.run(env, "catalog", "load", catalog.toString());
    assertThat(loaded.exit()).as(loaded.err()).isZero();
  }

  /** A start expected to fail: its exit code and everything it printed. */
  public record Refusal(int exit, String output) {}

  public static Refusal refusedStart(Path log, Map<String, String> settings) throws Exception {
    var env = new HashMap<>(baseSettings());
    env.putAll(settings);
    var process = IntakeProcess.launch(log, List.of("serve"), env);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("Intake did not stop after a failed start; see " + log);
    }
    return new Refusal(process.exitValue(), Files.readString(log));
  }

  public int apiPort() { return process.apiPort(); }

  public int managementPort() { return process.managementPort(); }

  /** The sum of a metric's series on /metrics. */
  public double metric(String name) {
    return Http.get(managementPort(), "/metrics").body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** Submits a tax return for a fresh applicant with this key; the response. */
  public java.net.http.HttpResponse<String> submit(String idempotencyKey) {
    return Http.submit(apiPort(), apiKey, idempotencyKey, Applications.taxReturn(Applications.freshApplicant()).encode());
  }

  @Override public void close() throws Exception {
    process.process().destroy();
    if (!process.process().waitFor(30, TimeUnit.SECONDS)) process.process().destroyForcibly();
  }
}
