package eu.gov.intake.faults;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 15: acknowledged means never lost, twice means once, on a cluster with real kills. For each scenario: a
 * bounded load through HAProxy (see {@link Traffic}), faults injected with real signals while it runs (see
 * {@link Estate}), then the verifier's report (see {@link Verifier}). Run by {@code load-tests/faults/run.sh}.
 * Exits 1 if any scenario lost, changed, doubled or reordered an acknowledged application, or if killing one broker
 * of three cost 0.1 % of requests or more.
 */
public final class FaultSuite {
  /** A fault and its healing, at a quarter and at three fifths of the load. */
  private interface Fault {
    void inject(Estate estate) throws Exception;

    void heal(Estate estate) throws Exception;
  }

  private static final Map<String, Fault> SCENARIOS = new LinkedHashMap<>();

  static {
    SCENARIOS.put("baseline", new Fault() {
      public void inject(Estate e) {}

      public void heal(Estate e) {}
    });
    SCENARIOS.put("kafka-broker", new Fault() {        // SIGKILL one broker of three, then start it again
      public void inject(Estate e) { e.killBroker(2); }

      public void heal(Estate e) { e.startBroker(2); }
    });
    SCENARIOS.put("kafka-cluster", new Fault() {       // SIGKILL all three: the spool carries every application
      public void inject(Estate e) { e.killKafka(); }

      public void heal(Estate e) { e.startKafka(); }
    });
    SCENARIOS.put("redis-master", new Fault() {        // SIGKILL a Redis Cluster master: its replica is promoted
      eu.gov.intake.devservices.RedisNode killed;

      public void inject(Estate e) { killed = e.killRedisMaster(); }

      public void heal(Estate e) { e.restartRedisNode(killed); }
    });
    SCENARIOS.put("postgres-stop", new Fault() {       // SIGSTOP PostgreSQL and its backends, then SIGCONT
      public void inject(Estate e) throws Exception { e.pausePostgres(); }

      public void heal(Estate e) throws Exception { e.resumePostgres(); }
    });
    SCENARIOS.put("intake-kill", new Fault() {         // SIGKILL one Intake behind HAProxy, then start it again
      public void inject(Estate e) throws Exception { e.intakes.get(0).kill(); }

      public void heal(Estate e) throws Exception { e.intakes.get(0).start(); }
    });
    SCENARIOS.put("kafka-partition", new Fault() {    // Intake's packets to the brokers dropped (iptables), then let through
      public void inject(Estate e) throws Exception { e.partitionFromKafka(); }

      public void heal(Estate e) throws Exception { e.healPartition(); }
    });
    SCENARIOS.put("combined", new Fault() {            // all at once: a broker, an Intake, a Redis master, PostgreSQL
      eu.gov.intake.devservices.RedisNode killed;

      public void inject(Estate e) throws Exception {
        e.killBroker(3);
        e.intakes.get(1).kill();
        killed = e.killRedisMaster();
        e.pausePostgres();
      }

      public void heal(Estate e) throws Exception {
        e.resumePostgres();
        e.startBroker(3);
        e.restartRedisNode(killed);
        e.intakes.get(1).start();
      }
    });
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(System.getProperty("out", "target/faults"));
    Path tarball = Path.of(System.getProperty("tarball"));
    String wanted = System.getProperty("scenarios", "all");
    var scenarios = wanted.equals("all") ? List.copyOf(SCENARIOS.keySet()) : Arrays.asList(wanted.split(","));
    for (String s : scenarios) {
      if (!SCENARIOS.containsKey(s)) throw new IllegalArgumentException("no scenario " + s + "; there are " + SCENARIOS.keySet());
    }
    Duration load = Duration.ofSeconds(Long.getLong("seconds", 40));
    int workers = Integer.getInteger("workers", 12);
    Duration pace = Duration.ofMillis(Long.getLong("paceMillis", 20));
    long started = System.nanoTime();
    var reports = new ArrayList<Verifier.Report>();
    // short deadlines and leases: a retry after a killed instance takes over within seconds
    var settings = Map.of("INTAKE_REQUEST_DEADLINE", "5s", "INTAKE_IDEMPOTENCY_LEASE", "6s",
        "INTAKE_DEPENDENCY_CHECK_INTERVAL", "1s", "INTAKE_RELAY_INTERVAL", "500ms");
    boolean verifierSees;
    try (var estate = Estate.start(out.resolve("estate"), tarball, settings)) {
      var verifier = new Verifier(estate);
      verifierSees = SelfCheck.run(estate, verifier);
      for (String name : scenarios) {
        Estate.log(name + ": " + load.toSeconds() + " s of load, " + workers + " workers");
        var traffic = new Traffic(URI.create("http://127.0.0.1:" + estate.frontPort + "/v1/applications"), estate.apiKey, name,
            Duration.ofSeconds(120));
        var generator = Thread.ofPlatform().name("traffic-" + name).start(() -> {
          try {
            traffic.run(workers, load, pace, 3, 0.1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        var fault = SCENARIOS.get(name);
        long faultAt = 0;
        if (!name.equals("baseline")) {
          Thread.sleep(load.toMillis() / 4);
          faultAt = System.currentTimeMillis();
          Estate.log(name + ": fault injected at " + Instant.ofEpochMilli(faultAt));
          fault.inject(estate);
          Thread.sleep(Math.max(0, faultAt + load.toMillis() * 7 / 20 - System.currentTimeMillis()));
          fault.heal(estate);
          Estate.log(name + ": healed " + (System.currentTimeMillis() - faultAt) / 1000.0 + " s after the fault");
        }
        generator.join();
        var report = verifier.verify(name, traffic, faultAt);
        Estate.log(report.row());
        reports.add(report);
      }
    }
    var table = new StringBuilder(Verifier.Report.header()).append('\n');
    reports.forEach(r -> table.append(r.row()).append('\n'));
    double minutes = (System.nanoTime() - started) / 60e9;
    Files.createDirectories(out);
    Files.writeString(out.resolve("report.md"), table + "\nsuite time: %.1f min\n".formatted(minutes));
    System.out.println();
    System.out.print(table);
    System.out.printf("faults: %d scenarios in %.1f min; report in %s%n", reports.size(), minutes, out.resolve("report.md"));
    boolean ok = verifierSees;
    if (!verifierSees) System.out.println("faults: FAILED the verifier's self-check: it did not count what was planted");
    for (var r : reports) {
      if (!r.holds()) {
        System.out.println("faults: FAILED " + r.scenario() + ": an acknowledged application was lost, changed, doubled or "
            + "reordered, the ledger is incomplete or broken, the spool did not drain (" + r.spoolLeft() + " rows left), or "
            + "applications were never accepted (" + r.gaveUp() + ")");
        ok = false;
      }
      if (r.retriedKeysOneId() != r.retriedKeys()) {
        System.out.println("faults: FAILED " + r.scenario() + ": " + (r.retriedKeys() - r.retriedKeysOneId())
            + " retried keys got another id than their first attempt's");
        ok = false;
      }
      if (r.scenario().equals("kafka-broker") && r.failedRatio() >= 0.001) {
        System.out.println("faults: FAILED kafka-broker: " + r.serverErrors() + " 5xx and " + r.noAnswer()
            + " unanswered of " + r.requests() + " requests, 0.1 % or more");
        ok = false;
      }
    }
    System.out.println(ok ? "faults: PASSED" : "faults: FAILED");
    System.exit(ok ? 0 : 1);
  }
}
