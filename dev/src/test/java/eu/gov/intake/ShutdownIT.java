package eu.gov.intake;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.testing.IntakeProcess;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM under steady load, in dev mode in its own JVM: every request gets an answer (202, or 503 while
 * draining) or finds the port closed; none is cut off without one. Each loader behaves as a client behind a
 * load balancer would: once told the instance is shutting down (503 shutting-down), it goes elsewhere. Every 202 is on Kafka (checked after a
 * restart over the same data, which also relays anything spooled), and no server process is left behind.
 */
// servers stopped, killed and started again: longer than the default bound of a test, still bounded
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ShutdownIT {
  private static final int LOADERS = 6;

  @Test
  void sigtermUnderLoadAnswersEveryRequestLosesNothingAndLeavesNoServers() throws Exception {
    Path dir = Files.createDirectories(eu.gov.intake.testing.TestDirs.fresh("shutdown"));
    Path data = dir.resolve(".intake");
    var env = Map.of("INTAKE_DATA_DIR", data.toString(), "INTAKE_SHUTDOWN_GRACE", "1s");
    var intake = IntakeProcess.start(dir.resolve("first.log"), List.of("dev"), env);
    String key = intake.devKey(data, "demo-web");

    Set<String> accepted = ConcurrentHashMap.newKeySet();
    var draining = new AtomicInteger();
    var refused = new AtomicInteger();
    var cutOff = new ConcurrentHashMap<String, Integer>();
    try (var loaders = Executors.newFixedThreadPool(LOADERS)) {
      for (int i = 0; i < LOADERS; i++) {
        loaders.submit(() -> load(intake, key, accepted, draining, refused, cutOff));
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (accepted.size() < 100 && System.nanoTime() < until) TimeUnit.MILLISECONDS.sleep(10);
      int before = accepted.size();
      intake.stopAndAssertNoServersLeft();                   // SIGTERM while the loaders keep going
      assertThat(before).as("accepted before SIGTERM: the load was real").isGreaterThanOrEqualTo(100);
    }
    assertThat(cutOff).as("requests that got no answer at all").isEmpty();
    assertThat(draining.get() + refused.get()).as("every loader ran until told to go or the port closed").isEqualTo(LOADERS);

    var again = IntakeProcess.start(dir.resolve("second.log"), List.of("dev"), env);
    try {
      var onKafka = Topic.records(again.devJson(data).getString("kafka"), "intake.applications.shtax",
          r -> accepted.contains(Topic.header(r, "ce_id")), accepted.size());
      assertThat(onKafka.stream().map(r -> Topic.header(r, "ce_id")).distinct().count())
          .as("every 202 is on Kafka (%d during the drain answered 503)", draining.get()).isEqualTo(accepted.size());
    } finally {
      again.stopAndAssertNoServersLeft();
    }
  }

  /** Submits one after another on a keep-alive connection until the port is closed. */
  private static void load(IntakeProcess intake, String key, Set<String> accepted, AtomicInteger draining, AtomicInteger refused,
                           Map<String, Integer> cutOff) {
    var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    while (true) {
      var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/applications"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
          .header("Idempotency-Key", "sd-" + UUID.randomUUID()).timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString(taxReturn(freshApplicant()).encode())).build();
      try {
        var response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 202) accepted.add(new JsonObject(response.body()).getString("applicationId"));
        else if (response.statusCode() == 503 && response.body().contains("shutting-down")) {
          draining.incrementAndGet();
          return;                                             // told to go elsewhere
        } else if (response.statusCode() != 503) {
          cutOff.merge("status " + response.statusCode(), 1, Integer::sum);
        }
      } catch (ConnectException e) {
        refused.incrementAndGet();                            // the port is closed: the instance has gone
        return;
      } catch (IOException e) {
        cutOff.merge(e.toString(), 1, Integer::sum);
        if (!intake.process().isAlive()) return;
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
