package eu.gov.intake.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.config.IntakeConfig;
import eu.gov.intake.testing.Topic;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The producer Intake calls on the event loop, on the run's broker: a topic it has no metadata for yet (a new
 * department's) is waited for without blocking and keeps each key's order; a topic that never comes fails after
 * the bound and holds up no other topic.
 */
@ExtendWith(IntakeTestRun.class)
class EventLoopProducerIT {

  @Test
  void aTopicWithoutMetadataIsWaitedForInOrderAndAMissingOneHoldsUpNoOther(TestIntake intake) throws Exception {
    String topic = "elp-" + UUID.randomUUID();
    try (var admin = Admin.create(Map.of("bootstrap.servers", intake.kafkaBootstrap()))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    var vertx = Vertx.vertx();
    var producer = new KafkaClients(vertx, IntakeConfig.fromEnv(Map.of("INTAKE_KAFKA_BOOTSTRAP", intake.kafkaBootstrap()), true).kafka())
        .producer(Map.of("linger.ms", "5"));
    try {
      // all sent from one event loop in one go: the first ones find no metadata and wait, the rest queue behind them
      Promise<List<Future<RecordMetadata>>> sent = Promise.promise();
      Promise<Future<RecordMetadata>> toMissing = Promise.promise();
      vertx.runOnContext(v -> {
        toMissing.complete(producer.send(new ProducerRecord<>("absent-" + UUID.randomUUID(), "k", new byte[] {1})));
        var acks = new ArrayList<Future<RecordMetadata>>();
        for (int i = 0; i < 200; i++) {
          acks.add(producer.send(new ProducerRecord<>(topic, "key-" + (i % 5), Integer.toString(i).getBytes(StandardCharsets.UTF_8))));
        }
        sent.complete(acks);
      });
      var acks = sent.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Future.all(acks).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      var missing = toMissing.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(missing.isComplete()).as("the topic that does not exist is still waited for, and held up no other").isFalse();

      var records = Topic.records(intake.kafkaBootstrap(), topic, r -> true, 200);
      assertThat(records).hasSize(200);
      var seen = new HashMap<String, List<Integer>>();
      for (var r : records) seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8)));
      seen.forEach((key, values) -> assertThat(values).as("the order of %s", key).isSorted());

      var failure = missing.transform(r -> Future.succeededFuture(r.cause())).toCompletionStage().toCompletableFuture()
          .get(EventLoopProducer.WAIT_AT_MOST.toSeconds() + 10, TimeUnit.SECONDS);
      assertThat(failure).as("after the bound").isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    } finally {
      producer.close(Duration.ofSeconds(5)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      vertx.close();
    }
  }
}
