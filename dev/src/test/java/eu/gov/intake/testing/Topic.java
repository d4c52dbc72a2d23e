package eu.gov.intake.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning with a real consumer, as a department would. */
public final class Topic {
  private Topic() {}

  /** Every record of the topic whose headers match, read until {@code settle} passes with nothing new. */
  public static List<ConsumerRecord<String, byte[]>> records(String bootstrap, String topic,
                                                             Predicate<ConsumerRecord<String, byte[]>> match, int expected) {
    return records(Map.of("bootstrap.servers", bootstrap), topic, match, expected);
  }

  /** The same on a cluster that wants more than a bootstrap list (SASL, TLS): {@code client} has it all. */
  public static List<ConsumerRecord<String, byte[]>> records(Map<String, Object> client, String topic,
                                                             Predicate<ConsumerRecord<String, byte[]>> match, int expected) {
    var props = new java.util.HashMap<String, Object>(client);
    props.putAll(Map.of("enable.auto.commit", "false", "isolation.level", "read_committed"));
    try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var endOffsets = consumer.endOffsets(partitions, Duration.ofSeconds(60));
      var found = new ArrayList<ConsumerRecord<String, byte[]>>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          if (match.test(record)) found.add(record);
        }
        boolean atEnd = partitions.stream().allMatch(p -> consumer.position(p) >= endOffsets.get(p));
        if (atEnd && found.size() >= expected) break;
      }
      return found;
    }
  }

  public static String header(ConsumerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
