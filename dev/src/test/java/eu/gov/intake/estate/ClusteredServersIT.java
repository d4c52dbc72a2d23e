package eu.gov.intake.estate;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.devservices.KafkaCluster;
import eu.gov.intake.devservices.RedisCluster;
import eu.gov.intake.devservices.RedisSentinels;
import eu.gov.intake.testing.Applications;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.OperatorIntake;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestDirs;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Intake as an operator runs it on clustered servers: a three-broker Kafka (replication factor 3, min ISR 2), a Redis
 * Cluster of three masters with a replica each, and a Redis behind Sentinel that fails over during traffic. Each on
 * a database of its own (the test run's PostgreSQL), so that no spool is shared with another instance.
 */
@ExtendWith(IntakeTestRun.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClusteredServersIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void onThreeBrokersEveryTopicItMakesHasThreeReplicasAndMinIsrTwoAWeakOneIsReportedAndTheSpoolCoversLostQuorum(TestIntake shared)
      throws Exception {
    Path dir = TestDirs.fresh("kafka-cluster");
    try (var kafka = KafkaCluster.start(dir.resolve("kafka"))) {
      String weak = "intake.applications.shtax";
      try (var admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrap()))) {
        // made elsewhere, before Intake: three replicas, but an acknowledgement from one of them is enough
        admin.createTopics(List.of(new NewTopic(weak, 6, (short) 3).configs(Map.of("min.insync.replicas", "1")))).all().get();
      }
      var settings = new HashMap<>(Map.of("INTAKE_KAFKA_BOOTSTRAP", kafka.bootstrap(), "INTAKE_REDIS_URL", shared.redisUrl(),
          "INTAKE_PG_URL", PgProbe.freshDatabase(shared.pgUrl(), "estate_kafka_cluster"), "INTAKE_LEDGER_GROUP", "estate-kafka-cluster",
          "INTAKE_KAFKA_TOPIC_RETENTION", "7d"));
      try (var intake = OperatorIntake.start(dir.resolve("intake"), settings, "cluster-web", 1_000_000, 1_000_000)) {
        try (var admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrap()))) {
          var made = admin.listTopics().names().get().stream().filter(t -> t.startsWith("intake.") && !t.equals(weak)).sorted().toList();
          assertThat(made).contains("intake.status", "intake.dead-letter", "intake.applications.shhousing");
          var described = admin.describeTopics(made).allTopicNames().get();
          described.values().forEach(topic -> assertThat(topic.partitions()).allSatisfy(p -> assertThat(p.replicas()).as(topic.name()).hasSize(3)));
          var configs = admin.describeConfigs(made.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get();
          configs.forEach((resource, config) -> {
            assertThat(config.get("min.insync.replicas").value()).as(resource.name()).isEqualTo("2");
            assertThat(config.get("retention.ms").value()).as(resource.name()).isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
          });
        }
        assertThat(intake.metric("intake_kafka_topics_weak")).as("the topic made elsewhere").isEqualTo(1);
        assertThat(Files.readString(intake.process().log())).contains("topic " + weak + " cannot keep acks=all durable");

        var direct = submitLeases(intake, 20);
        // two brokers down: no topic of min ISR 2 can take a write; the applications go to the spool
        kafka.node(2).process().kill();
        kafka.node(3).process().kill();
        List<String> spooled;
        try {
          spooled = submitLeases(intake, 10);
        } finally {
          kafka.node(2).start();
          kafka.node(3).start();
        }
        try (var pg = new PgProbe(settings.get("INTAKE_PG_URL"))) {
          assertThat(pg.count("SELECT count(*) FROM spool WHERE application_id = ANY($1)",
              (Object) spooled.stream().map(UUID::fromString).toArray(UUID[]::new))).isEqualTo(10);
          pg.awaitSpoolEmpty(Duration.ofSeconds(90));
          var all = new ArrayList<>(direct);
          all.addAll(spooled);
          pg.awaitInLedger(all, Duration.ofSeconds(90));
        }
      }
      settings.put("INTAKE_KAFKA_WEAK_TOPICS", "refuse");
      var refused = OperatorIntake.refusedStart(dir.resolve("refused.log"), settings);
      assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
      assertThat(refused.output()).contains("Intake cannot start: Kafka (").contains(weak);
    }
  }

  @Test
  void onARedisClusterOneClientsTrafficSpreadsOverEveryMasterAndItsRateLimitHolds(TestIntake shared) throws Exception {
    Path dir = TestDirs.fresh("redis-cluster");
    try (var redis = RedisCluster.start(dir.resolve("redis"))) {
      try (var intake = OperatorIntake.start(dir.resolve("intake"), onCluster(shared, redis, "redis_cluster"), "cluster-web", 1_000_000, 1_000_000)) {
        var answers = blast(intake.apiPort(), intake.apiKey(), 10_000, 32, Duration.ofMinutes(3));
        assertThat(answers.getOrDefault(202, 0)).as(answers.toString()).isEqualTo(10_000);
        var masters = redis.masterPorts();
        assertThat(masters).hasSize(3);
        var perMaster = new java.util.TreeMap<Integer, Long>();
        for (int port : masters) perMaster.put(port, redis.keysOn(port, "idem:{cluster-web/*"));
        System.out.println("idempotency records of one client per master: " + perMaster);
        assertThat(perMaster.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10_000);
        // 16 shards over 3 masters: no master without, none with nearly all
        assertThat(perMaster.values()).allSatisfy(n -> assertThat(n).isBetween(1_000L, 6_000L));

        // the limit of one client with sharded buckets: at most rate x T + burst + shards over the interval
        var limited = eu.gov.intake.testing.Cli.run(intake.env(), "clients", "create", "cluster-limited", "--channels", "WEB",
            "--rate", "200", "--burst", "200");
        assertThat(limited.exit()).as(limited.err()).isZero();
        String key = limited.out().lines().toList().get(1).strip();
        Thread.sleep(1_500);   // a new key is known to the instance within its key cache's time
        long started = System.nanoTime();
        var limitedAnswers = blast(intake.apiPort(), key, 3_000, 32, Duration.ofMinutes(2));
        double seconds = (System.nanoTime() - started) / 1e9;
        int accepted = limitedAnswers.getOrDefault(202, 0);
        System.out.printf("rate limit 200/s, burst 200, 16 shards: %d accepted of 3000 in %.1f s (bound %.0f)%n", accepted, seconds,
            200 * seconds + 200 + 16);
        assertThat(accepted + limitedAnswers.getOrDefault(429, 0)).as(limitedAnswers.toString()).isEqualTo(3_000);
        assertThat((double) accepted).isLessThanOrEqualTo(200 * seconds + 200 + 16).isGreaterThanOrEqualTo(0.7 * 200 * seconds);
      }
    }
  }

  @Test
  void onARedisClusterAMasterKilledDuringTrafficGivesWayToItsReplicaAndRetriesKeepTheirIds(TestIntake shared) throws Exception {
    Path dir = TestDirs.fresh("redis-cluster-failover");
    try (var redis = RedisCluster.start(dir.resolve("redis"))) {
      try (var intake = OperatorIntake.start(dir.resolve("intake"), onCluster(shared, redis, "redis_failover"), "failover-web", 1_000_000, 1_000_000)) {
        int killed = redis.masterPorts().getFirst();
        var ids = new HashMap<String, String>();
        var keys = new ArrayList<String>();
        var bodies = new HashMap<String, String>();
        for (int i = 0; i < 150; i++) {
          String k = "failover-" + UUID.randomUUID();
          keys.add(k);
          bodies.put(k, Applications.taxReturn(Applications.freshApplicant()).encode());
        }
        for (int i = 0; i < keys.size(); i++) {
          // a master dies in the middle of the traffic: the keys of its slots get 503 until its replica takes over
          if (i == 50) redis.nodes().stream().filter(n -> n.port() == killed).findFirst().orElseThrow().process().kill();
          String k = keys.get(i);
          ids.put(k, untilAccepted(intake, k, bodies.get(k), Duration.ofSeconds(60)));
        }
        assertThat(redis.masterPorts()).as("a replica took the killed master's slots").hasSize(3).doesNotContain(killed);
        assertThat(ids.values()).doesNotHaveDuplicates().hasSize(150);
        // written after the failover, so on the masters of now: a retry gets the first answer's id
        for (String k : keys.subList(100, 150)) {
          var again = Http.submit(intake.apiPort(), intake.apiKey(), k, bodies.get(k));
          assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
          assertThat(new JsonObject(again.body()).getString("applicationId")).isEqualTo(ids.get(k));
        }
      }
    }
  }

  @Test
  void behindSentinelAFailoverDuringTrafficLosesNoAcknowledgedRetry(TestIntake shared) throws Exception {
    Path dir = TestDirs.fresh("sentinel");
    try (var redis = RedisSentinels.start(dir.resolve("redis"))) {
      var settings = Map.of("INTAKE_KAFKA_BOOTSTRAP", shared.kafkaBootstrap(), "INTAKE_REDIS_MODE", "sentinel",
          "INTAKE_REDIS_URL", redis.urls(), "INTAKE_REDIS_MASTER_NAME", RedisSentinels.MASTER_NAME,
          "INTAKE_PG_URL", PgProbe.freshDatabase(shared.pgUrl(), "estate_sentinel"), "INTAKE_LEDGER_GROUP", "estate-sentinel");
      try (var intake = OperatorIntake.start(dir.resolve("intake"), settings, "sentinel-web", 1_000_000, 1_000_000)) {
        int before = redis.masterPort();
        var ids = new ConcurrentHashMap<String, String>();
        var keys = new ArrayList<String>();
        for (int i = 0; i < 200; i++) keys.add("sentinel-" + UUID.randomUUID());
        var bodies = new HashMap<String, String>();
        keys.forEach(k -> bodies.put(k, Applications.taxReturn(Applications.freshApplicant()).encode()));
        for (int i = 0; i < keys.size(); i++) {
          if (i == 60) redis.master().process().kill();          // the master dies in the middle of the traffic
          String k = keys.get(i);
          ids.put(k, untilAccepted(intake, k, bodies.get(k), Duration.ofSeconds(60)));
        }
        assertThat(redis.masterPort()).as("the sentinels promoted the replica").isNotEqualTo(before).isEqualTo(redis.replica().port());
        assertThat(ids).hasSize(200);
        // after the failover a retry is answered from the new master with the first answer's id
        for (String k : keys.subList(100, 200)) {
          var again = Http.submit(intake.apiPort(), intake.apiKey(), k, bodies.get(k));
          assertThat(again.statusCode()).isEqualTo(202);
          assertThat(new JsonObject(again.body()).getString("applicationId")).isEqualTo(ids.get(k));
        }
        redis.master().start();   // the old master comes back, as a replica of the new one
      }
    }
  }

  /** An operator's settings for the Redis Cluster, the test run's Kafka, and a database (and ledger group) of its own. */
  private static Map<String, String> onCluster(TestIntake shared, RedisCluster redis, String name) {
    return Map.of("INTAKE_KAFKA_BOOTSTRAP", shared.kafkaBootstrap(), "INTAKE_REDIS_MODE", "cluster", "INTAKE_REDIS_URL", redis.urls(),
        "INTAKE_PG_URL", PgProbe.freshDatabase(shared.pgUrl(), "estate_" + name), "INTAKE_LEDGER_GROUP", "estate-" + name.replace('_', '-'));
  }

  /** Retries with the same key on anything but 202 (a 503 while the master is gone), as a front end would. */
  private static String untilAccepted(OperatorIntake intake, String key, String body, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (true) {
      var answer = Http.submit(intake.apiPort(), intake.apiKey(), key, body);
      if (answer.statusCode() == 202) return new JsonObject(answer.body()).getString("applicationId");
      assertThat(answer.statusCode()).as(answer.body()).isIn(409, 503);
      assertThat(System.nanoTime()).as("accepted within " + atMost).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static List<String> submitLeases(OperatorIntake intake, int n) {
    var ids = new ArrayList<String>();
    for (int i = 0; i < n; i++) {
      var answer = Http.submit(intake.apiPort(), intake.apiKey(), null, Applications.leaseRegistration(Applications.freshApplicant()).encode());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      ids.add(new JsonObject(answer.body()).getString("applicationId"));
    }
    return ids;
  }

  /** {@code total} tax returns, each with a fresh key, {@code concurrency} at a time; the count of each status. */
  private static Map<Integer, Integer> blast(int port, String apiKey, int total, int concurrency, Duration atMost) throws Exception {
    var counts = new ConcurrentHashMap<Integer, AtomicInteger>();
    var slots = new Semaphore(concurrency);
    var all = new ArrayList<CompletableFuture<?>>();
    for (int i = 0; i < total; i++) {
      slots.acquire();
      var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/applications")).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
          .header("Idempotency-Key", UUID.randomUUID().toString())
          .POST(HttpRequest.BodyPublishers.ofString(Applications.taxReturn(Applications.freshApplicant()).encode())).build();
      all.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .whenComplete((r, e) -> {
            counts.computeIfAbsent(e == null ? r.statusCode() : -1, s -> new AtomicInteger()).incrementAndGet();
            slots.release();
          }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(atMost.toMillis(), TimeUnit.MILLISECONDS);
    var result = new java.util.TreeMap<Integer, Integer>();
    counts.forEach((k, v) -> result.put(k, v.get()));
    return result;
  }
}
