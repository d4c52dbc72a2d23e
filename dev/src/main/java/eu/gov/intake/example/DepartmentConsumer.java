package eu.gov.intake.example;

import eu.gov.intake.config.KafkaSettings;
import eu.gov.intake.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a department's system does with Intake, as small as it can be: joins the department's consumer group,
 * reads its topic, drops repeats by ce_id (delivery is at least once), and moves each new application to
 * IN_REVIEW through the status API, with an Idempotency-Key derived from the ce_id so that a crash and a
 * re-read never make a second change. Offsets are committed after a poll's applications are handled.
 */
public final class DepartmentConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(DepartmentConsumer.class);
  private static final int REMEMBERED_IDS = 100_000;

  /** Where Intake and Kafka are, and who this department is. */
  public record Settings(KafkaSettings kafka, URI api, String apiKey, String department, Duration stopWhenIdleFor) {}

  /** What the consumer did; also its exit report. */
  public record Report(long moved, long repeats, long alreadyMoved, long failed) {}

  private final Vertx vertx;
  private final Settings settings;
  private final KafkaConsumer<String, Buffer> consumer;
  private final HttpClient http;
  /** Bounded: the ce_ids seen most recently; older repeats are caught by the idempotent status change. */
  private final Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) { return size() > REMEMBERED_IDS; }
  };
  private final AtomicLong moved = new AtomicLong();
  private final AtomicLong repeats = new AtomicLong();
  private final AtomicLong alreadyMoved = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  public DepartmentConsumer(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
    String code = settings.department().toLowerCase(Locale.ROOT);
    // built as Intake builds its own: INTAKE_KAFKA_CLIENT_* and INTAKE_KAFKA_CONSUMER_* reach a secured cluster
    this.consumer = new KafkaClients(vertx, settings.kafka()).consumer(Map.of(
        "group.id", "department-" + code, "auto.offset.reset", "earliest"));
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(settings.api().getHost())
        .setDefaultPort(settings.api().getPort()));
  }

  /** Runs until nothing new arrived for {@code stopWhenIdleFor}; completes with what it did. */
  public Future<Report> run() {
    String topic = "intake.applications." + settings.department().toLowerCase(Locale.ROOT);
    LOG.info("reading {} as group department-{}", topic, settings.department().toLowerCase(Locale.ROOT));
    return consumer.subscribe(topic)
        .compose(subscribed -> loop(System.nanoTime()))
        .eventually(() -> consumer.close())
        .eventually(() -> http.close())
        .map(done -> new Report(moved.get(), repeats.get(), alreadyMoved.get(), failed.get()));
  }

  private Future<Void> loop(long lastRecordAt) {
    return consumer.poll(Duration.ofMillis(500)).compose(records -> {
      if (records.isEmpty()) {
        boolean idle = System.nanoTime() - lastRecordAt > settings.stopWhenIdleFor().toNanos();
        return idle ? Future.succeededFuture() : loop(lastRecordAt);
      }
      return handle(records).compose(handled -> consumer.commit()).compose(committed -> loop(System.nanoTime()));
    });
  }

  private Future<Void> handle(KafkaConsumerRecords<String, Buffer> records) {
    var changes = new ArrayList<Future<Void>>();
    for (int i = 0; i < records.size(); i++) {
      var record = records.recordAt(i);
      String ceId = header(record, "ce_id");
      if (ceId == null || seen.putIfAbsent(ceId, Boolean.TRUE) != null) {
        repeats.incrementAndGet();
        continue;
      }
      changes.add(moveToReview(ceId));
    }
    return Future.join(changes).mapEmpty();
  }

  private Future<Void> moveToReview(String applicationId) { return moveToReview(applicationId, 5); }

  private Future<Void> moveToReview(String applicationId, int attemptsLeft) {
    var body = new JsonObject().put("status", "IN_REVIEW").put("note", "received by the department's case system").toBuffer();
    var options = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/applications/" + applicationId + "/status")
        .putHeader("Authorization", "Bearer " + settings.apiKey()).putHeader("Content-Type", "application/json")
        .putHeader("Idempotency-Key", "in-review-" + applicationId);
    return http.request(options).compose(request -> request.send(body)).compose(response -> response.body().compose(b -> {
      if ((response.statusCode() == 429 || response.statusCode() == 503) && attemptsLeft > 1) {
        long wait = Long.parseLong(java.util.Objects.requireNonNullElse(response.getHeader("Retry-After"), "1"));
        return vertx.timer(wait * 1000).compose(t -> moveToReview(applicationId, attemptsLeft - 1));
      }
      switch (response.statusCode()) {
        case 200 -> moved.incrementAndGet();
        case 409 -> alreadyMoved.incrementAndGet();               // someone moved it on already
        default -> {
          failed.incrementAndGet();
          LOG.warn("application {}: {} {}", applicationId, response.statusCode(), b.toString(StandardCharsets.UTF_8));
        }
      }
      return Future.<Void>succeededFuture();
    }));
  }

  private static String header(KafkaConsumerRecord<String, Buffer> record, String name) {
    return record.headers().stream().filter(h -> h.key().equals(name)).map(h -> h.value().toString(StandardCharsets.UTF_8))
        .findFirst().orElse(null);
  }

  /**
   * {@code example-consumer DEPARTMENT [--idle SECONDS]}: against dev mode, with the endpoints and the
   * department's key from {@code .intake/dev.json}. Stops after SECONDS without a new record (default 30).
   */
  public static int main(java.util.List<String> args, Map<String, String> env) throws java.io.IOException {
    if (args.isEmpty()) {
      System.err.println("usage: example-consumer DEPARTMENT [--idle SECONDS]   (e.g. example-consumer SHTAX)");
      return 2;
    }
    String department = args.get(0).toUpperCase(Locale.ROOT);
    long idle = args.size() >= 3 && args.get(1).equals("--idle") ? Long.parseLong(args.get(2)) : 30;
    var devJson = new JsonObject(java.nio.file.Files.readString(
        java.nio.file.Path.of(env.getOrDefault("INTAKE_DATA_DIR", ".intake"), "dev.json")));
    String key = devJson.getJsonArray("clients").stream().map(JsonObject.class::cast)
        .filter(c -> department.equals(c.getString("department"))).map(c -> c.getString("apiKey")).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no department client for " + department + " in dev.json"));
    var vertx = Vertx.vertx();
    try {
      var report = new DepartmentConsumer(vertx, new Settings(
          eu.gov.intake.config.IntakeConfig.fromEnv(env, true).kafka().withBootstrap(devJson.getString("kafka")), URI.create(devJson.getString("api")), key,
          department, Duration.ofSeconds(idle))).run().await();
      LOG.info("done: {} moved to IN_REVIEW, {} repeats dropped, {} already moved on, {} failed", report.moved(), report.repeats(),
          report.alreadyMoved(), report.failed());
      return report.failed() == 0 ? 0 : 1;
    } finally {
      vertx.close().await();
    }
  }
}
