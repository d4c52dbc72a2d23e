package eu.gov.intake.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.testing.RedisProbe;
import eu.gov.intake.testing.Topic;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A dev server killed with SIGKILL starts again over the data it had (fault-injection tests rely on this). */
class RestartKeepsDataIT {
  private static Vertx vertx;
  private static DevServices services;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    Path dir = eu.gov.intake.testing.TestDirs.fresh("restart");
    services = DevServices.start(vertx, dir, new DevServices.Wanted(true, true, true)).await();
  }

  @AfterAll
  static void stop() {
    services.close();
    vertx.close().await();
  }

  @Test
  void redisKeepsItsRecordsAcrossSigkill() {
    var redis = services.redis().orElseThrow();
    try (var probe = new RedisProbe(redis.endpoint())) {
      probe.set("survivor", "yes");
    }
    long before = redis.process().pid();
    redis.killAndRestart();
    assertThat(redis.process().pid()).isNotEqualTo(before);
    try (var probe = new RedisProbe(redis.endpoint())) {
      assertThat(probe.get("survivor")).isEqualTo("yes");
    }
  }

  @Test
  void kafkaKeepsAcknowledgedRecordsAcrossSigkill() throws Exception {
    var kafka = services.kafka().orElseThrow();
    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.endpoint()))) {
      // the dev broker creates no topic on first use, as a production cluster would not
      admin.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic("survivors", 1, (short) 1))).all()
          .get(30, TimeUnit.SECONDS);
    }
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.endpoint(), "acks", "all"),
        new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("survivors", "k", "acknowledged before the crash")).get(30, TimeUnit.SECONDS);
    }

    kafka.killAndRestart();

    var found = Topic.records(kafka.endpoint(), "survivors", r -> true, 1);
    assertThat(found).extracting(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8))
        .containsExactly("acknowledged before the crash");
  }

  @Test
  void postgresKeepsCommittedRowsAcrossSigkill() {
    var pg = services.postgres().orElseThrow();
    var pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(pg.endpoint())).using(vertx).build();
    pool.query("CREATE TABLE IF NOT EXISTS survivors (name text)").execute()
        .compose(r -> pool.query("INSERT INTO survivors VALUES ('yes')").execute()).await();
    pool.close().await();

    pg.killAndRestart();

    var again = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(pg.endpoint())).using(vertx).build();
    try {
      long rows = awaitRows(again);
      assertThat(rows).isGreaterThanOrEqualTo(1);
    } finally {
      again.close().await();
    }
  }

  /** PostgreSQL replays its WAL after a crash and answers "starting up" meanwhile: retry for a while. */
  private static long awaitRows(io.vertx.sqlclient.Pool pool) {
    RuntimeException last = null;
    for (int i = 0; i < 100; i++) {
      try {
        return pool.query("SELECT count(*) FROM survivors WHERE name = 'yes'").execute().await().iterator().next().getLong(0);
      } catch (RuntimeException e) {
        last = e;
        vertx.timer(100).await();
      }
    }
    throw last;
  }
}
