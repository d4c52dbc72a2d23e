package eu.gov.intake.faults;

import eu.gov.intake.testing.PgProbe;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * After a scenario: what the world holds against what was acknowledged. Every department topic and the
 * dead-letter topic read from the beginning, the spool and the ledger read, the ledger's hash chains verified by
 * {@code intake ledger verify}.
 */
final class Verifier {
  /** The verifier's report of one scenario; the first five counts after {@code accepted} must be 0. */
  record Report(String scenario, int requests, int accepted, int missing, int conflicting, int twoIds, int orderViolations,
                int chainBroken, int notInLedger, long spoolLeft, int duplicates, int serverErrors, int unavailable, int noAnswer,
                double recoverSeconds, int gaveUp, int retriedKeys, int retriedKeysOneId, int inProgress, int doubleClicksTwice,
                double failedRatio, long p50Millis, long p99Millis) {
    boolean holds() {
      return missing == 0 && conflicting == 0 && twoIds == 0 && orderViolations == 0 && chainBroken == 0 && notInLedger == 0
          && spoolLeft == 0 && gaveUp == 0;
    }

    static String header() {
      return "| scenario | requests | acknowledged | missing | conflicting | two ids | order violations | chain broken | "
          + "not in ledger | duplicates (same ce_id and content) | 5xx (of them 503) | no answer | failed / requests | "
          + "time to recover | retried keys (all answers one id) | 409 in progress | double clicks published twice | 202 p50 / p99 |\n"
          + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
    }

    String row() {
      return "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d (%d) | %d | %.3f %% | %.1f s | %d (%d) | %d | %d | %d / %d ms |"
          .formatted(scenario, requests, accepted, missing, conflicting, twoIds, orderViolations, chainBroken, notInLedger, duplicates,
              serverErrors, unavailable, noAnswer, 100.0 * failedRatio, recoverSeconds, retriedKeys, retriedKeysOneId, inProgress,
              doubleClicksTwice, p50Millis, p99Millis);
    }
  }

  /** One event as a department (or the dead-letter topic) holds it; {@code timestamp}: the producer's, when it was sent. */
  private record Held(String ceId, String content, String topic, int partition, long offset, long timestamp) {}

  private final Estate estate;

  Verifier(Estate estate) { this.estate = estate; }

  Report verify(String scenario, Traffic traffic, long faultStartMillis) throws Exception {
    return verify(scenario, List.copyOf(traffic.sent), traffic.attempts(), faultStartMillis, true);
  }

  /** {@code settle}: wait first for the spool to drain and the ledger to catch up (at most 3 minutes). */
  Report verify(String scenario, List<Traffic.Sent> sent, List<Traffic.Attempt> attempts, long faultStartMillis, boolean settle)
      throws Exception {
    var acceptedIds = new LinkedHashSet<String>();
    for (var app : sent) acceptedIds.addAll(app.acceptedIds());
    long spoolLeft = settle ? quiesce(acceptedIds) : 0;

    var markers = sent.stream().map(app -> app.marker).collect(Collectors.toSet());
    var byMarker = new HashMap<String, List<Held>>();
    var contentsById = new HashMap<String, Set<String>>();
    int records = 0;
    for (var record : readAll()) {
      String type = header(record, "ce_type");
      if (type == null || !(type.endsWith("submitted.v1") || type.endsWith("undeliverable.v1"))) continue;
      var value = new JsonObject(new String(record.value(), StandardCharsets.UTF_8));
      String marker = Traffic.marker(value);
      if (!markers.contains(marker)) continue;
      String ceId = header(record, "ce_id");
      // what a department compares: the event's bytes and its CloudEvents time (the traceparent is the request's own)
      String content = Base64.getEncoder().encodeToString(record.value()) + "|" + header(record, "ce_time") + "|" + header(record, "ce_subject");
      byMarker.computeIfAbsent(marker, m -> new ArrayList<>()).add(new Held(ceId, content, record.topic(), record.partition(), record.offset(), record.timestamp()));
      contentsById.computeIfAbsent(ceId, id -> new HashSet<>()).add(content);
      records++;
    }
    int conflicting = (int) contentsById.values().stream().filter(c -> c.size() > 1).count();
    int duplicates = records - contentsById.size();

    int missing = 0;
    int twoIds = 0;
    int doubleClicksTwice = 0;
    int retriedKeys = 0;
    int retriedKeysOneId = 0;
    for (var app : sent) {
      var held = byMarker.getOrDefault(app.marker, List.of());
      var heldIds = held.stream().map(Held::ceId).collect(Collectors.toSet());
      var ids = new HashSet<>(heldIds);
      ids.addAll(app.acceptedIds());
      if (app.accepted() && !heldIds.containsAll(app.acceptedIds())) missing++;
      if (ids.size() > 1) {
        if (app.key != null) twoIds++;
        else doubleClicksTwice++;
      }
      if (app.key != null && app.attempts.size() > 1) {
        retriedKeys++;
        if (ids.size() == 1) retriedKeysOneId++;
      }
    }

    // per applicant, in the order sent (each after the one before was accepted): first appearances in the same order
    int orderViolations = 0;
    var byApplicant = sent.stream().filter(Traffic.Sent::accepted).collect(Collectors.groupingBy(app -> app.applicant));
    for (var apps : byApplicant.values()) {
      apps.sort(java.util.Comparator.comparingInt(app -> app.order));
      var before = new HashMap<String, Traffic.Sent>();           // by topic-partition: the last application seen there
      for (var app : apps) {
        var first = first(byMarker, app);
        if (first == null) continue;
        String where = first.topic() + "-" + first.partition();
        var earlier = before.get(where);
        if (earlier != null && first(byMarker, earlier).offset() > first.offset()) {
          orderViolations++;
          Estate.log(scenario + ": order violation: " + describe(earlier, first(byMarker, earlier)) + " then " + describe(app, first));
        }
        before.put(where, app);
      }
    }

    int serverErrors = (int) attempts.stream().filter(a -> a.status() >= 500).count();
    int unavailable = (int) attempts.stream().filter(a -> a.status() == 503).count();
    int noAnswer = (int) attempts.stream().filter(a -> a.status() == 0).count();
    long lastFailure = attempts.stream().filter(Traffic.Attempt::failed).mapToLong(Traffic.Attempt::endMillis).max().orElse(0);
    double recover = faultStartMillis > 0 && lastFailure > faultStartMillis ? (lastFailure - faultStartMillis) / 1000.0 : 0;
    int gaveUp = (int) sent.stream().filter(app -> !app.accepted()).count();
    int notInLedger = notInLedger(acceptedIds);
    // every department's chain, as an auditor would check it: `intake ledger verify <department>`, exit 1 if broken
    int chainBroken = 0;
    for (String department : List.of("SHTAX", "SHHRSS")) {
      var verified = estate.cliResult("ledger", "verify", department);
      if (verified.exit() != 0) {
        chainBroken++;
        Estate.log("ledger verify " + department + ": " + verified.output().strip());
      }
    }
    var latencies = attempts.stream().filter(a -> a.status() == 202).mapToLong(a -> a.endMillis() - a.startMillis()).sorted().toArray();
    return new Report(scenario, attempts.size(), (int) sent.stream().filter(Traffic.Sent::accepted).count(), missing, conflicting,
        twoIds, orderViolations, chainBroken, notInLedger, spoolLeft, duplicates, serverErrors, unavailable, noAnswer, recover,
        gaveUp, retriedKeys, retriedKeysOneId, (int) attempts.stream().filter(a -> a.status() == 409).count(), doubleClicksTwice, attempts.isEmpty() ? 0 : (serverErrors + noAnswer) / (double) attempts.size(),
        percentile(latencies, 0.5), percentile(latencies, 0.99));
  }

  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static Held first(Map<String, List<Held>> byMarker, Traffic.Sent app) {
    return byMarker.getOrDefault(app.marker, List.of()).stream().filter(h -> h.topic().startsWith("intake.applications."))
        .min(java.util.Comparator.comparingLong(Held::offset)).orElse(null);
  }

  /** An application's attempts and its first record, for a violation's log line. */
  private static String describe(Traffic.Sent app, Held first) {
    return app.marker + " #" + app.order + " [attempts " + app.attempts.stream().map(a -> a.status() + "@" + (a.endMillis() % 100_000))
        .toList() + ", first record at offset " + first.offset() + " sent at " + (first.timestamp() % 100_000) + "]";
  }

  /** Waits (at most 3 minutes) until the spool is empty and the ledger has every accepted application; the rows left. */
  private long quiesce(Set<String> acceptedIds) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    long left = -1;
    while (System.nanoTime() < deadline) {
      try (var pg = new PgProbe(pgUrl())) {
        left = pg.count("SELECT count(*) FROM spool WHERE published_at IS NULL");
        if (left == 0 && notInLedger(acceptedIds) == 0) return 0;
      } catch (RuntimeException e) {
        Estate.log("waiting for PostgreSQL: " + e.getMessage());
      }
      Thread.sleep(1000);
    }
    return left;
  }

  private int notInLedger(Set<String> ids) {
    if (ids.isEmpty()) return 0;
    try (var pg = new PgProbe(pgUrl())) {
      return ids.size() - (int) pg.count("SELECT count(*) FROM applications WHERE application_id = ANY($1)",
          (Object) ids.stream().map(UUID::fromString).toArray(UUID[]::new));
    }
  }

  private String pgUrl() { return estate.env.get("INTAKE_PG_URL"); }

  /** Every record of the department topics and the dead-letter topic, from the beginning to the end as of now. */
  private List<ConsumerRecord<String, byte[]>> readAll() {
    var props = new HashMap<String, Object>(Map.of("bootstrap.servers", estate.env.get("INTAKE_KAFKA_BOOTSTRAP"),
        "enable.auto.commit", "false", "isolation.level", "read_committed", "max.poll.records", "5000"));
    var all = new ArrayList<ConsumerRecord<String, byte[]>>();
    try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      var partitions = consumer.listTopics(Duration.ofSeconds(60)).entrySet().stream()
          .filter(t -> t.getKey().startsWith("intake.applications.") || t.getKey().equals("intake.dead-letter"))
          .flatMap(t -> t.getValue().stream().map(p -> new TopicPartition(p.topic(), p.partition()))).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var ends = consumer.endOffsets(partitions, Duration.ofSeconds(60));
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (System.nanoTime() < deadline && !partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p))) {
        consumer.poll(Duration.ofMillis(500)).forEach(all::add);
      }
    }
    return all;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
