package eu.gov.intake.faults;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The verifier checked before it is trusted: a few seconds of load, then one violation of each kind planted where
 * the verifier looks (a twin of an acknowledged event with another time, an acknowledged application's content under
 * a second id, an acknowledged id Kafka never got, two applications of one applicant in swapped order). The
 * verifier must count exactly those: a report of zeros from a verifier that cannot see is worth nothing.
 */
final class SelfCheck {
  private SelfCheck() {}

  static boolean run(Estate estate, Verifier verifier) throws Exception {
    var traffic = new Traffic(URI.create("http://127.0.0.1:" + estate.frontPort + "/v1/applications"), estate.apiKey, "self-check",
        Duration.ofSeconds(60));
    traffic.run(4, Duration.ofSeconds(5), Duration.ofMillis(20), 3, 0);
    var clean = verifier.verify("self-check, as sent", traffic, 0);
    if (!clean.holds()) {
      Estate.log("self-check: the clean load already shows a violation: " + clean.row());
      return false;
    }
    var keyed = traffic.sent.stream().filter(app -> app.key != null && app.accepted()).toList();
    var conflicted = keyed.get(0);
    var doubled = keyed.get(1);
    var records = eventsOf(estate, List.of(conflicted.acceptedIds().iterator().next(), doubled.acceptedIds().iterator().next()));
    try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", estate.env.get("INTAKE_KAFKA_BOOTSTRAP"),
        "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
      // the same ce_id with another time: a republish that is not the same event
      var original = records.get(conflicted.acceptedIds().iterator().next());
      var changed = new ProducerRecord<>(original.topic(), original.key(), original.value());
      original.headers().forEach(h -> changed.headers().add(h.key(), h.key().equals("ce_time")
          ? Instant.now().toString().getBytes(StandardCharsets.UTF_8) : h.value()));
      producer.send(changed).get();
      // the same application under a second id
      var first = records.get(doubled.acceptedIds().iterator().next());
      var second = new ProducerRecord<>(first.topic(), first.key(), first.value());
      first.headers().forEach(h -> second.headers().add(h.key(), h.key().equals("ce_id")
          ? UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8) : h.value()));
      producer.send(second).get();
    }
    var sent = new ArrayList<>(traffic.sent);
    // an acknowledgement whose application Kafka never got (a marker nothing was published under)
    sent.add(keyed.get(2).acceptedAs("tax:-1", UUID.randomUUID().toString()));
    // an applicant's first two applications in swapped order
    var byApplicant = sent.stream().filter(app -> app.key != null && app.accepted() && !app.marker.equals("tax:-1"))
        .collect(Collectors.groupingBy(app -> app.applicant));
    var pair = byApplicant.values().stream().filter(apps -> apps.size() >= 2).findFirst().orElseThrow();
    pair.sort(java.util.Comparator.comparingInt(app -> app.order));
    sent.remove(pair.get(0));
    sent.remove(pair.get(1));
    sent.add(pair.get(0).reordered(pair.get(1).order));
    sent.add(pair.get(1).reordered(pair.get(0).order));

    var planted = verifier.verify("self-check, planted", sent, traffic.attempts(), 0, false);
    Estate.log("self-check: planted 1 missing, 1 conflicting, 1 two ids, 1 order violation; the verifier found " + planted.missing()
        + ", " + planted.conflicting() + ", " + planted.twoIds() + ", " + planted.orderViolations());
    return planted.missing() == 1 && planted.conflicting() == 1 && planted.twoIds() == 1 && planted.orderViolations() == 1;
  }

  /** The department-topic records of these ce_ids, by ce_id. */
  private static Map<String, ConsumerRecord<String, byte[]>> eventsOf(Estate estate, List<String> ids) {
    var found = new HashMap<String, ConsumerRecord<String, byte[]>>();
    try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", estate.env.get("INTAKE_KAFKA_BOOTSTRAP"),
        "enable.auto.commit", "false"), new StringDeserializer(), new ByteArrayDeserializer())) {
      var partitions = consumer.partitionsFor("intake.applications.shtax", Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (found.size() < ids.size() && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          var header = record.headers().lastHeader("ce_id");
          String id = header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
          if (ids.contains(id)) found.putIfAbsent(id, record);
        }
      }
    }
    if (found.size() < ids.size()) throw new IllegalStateException("self-check: the events of " + ids + " are not on the topic");
    return found;
  }
}
