package eu.gov.intake.testing;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** The sum of end offsets over every department topic: if it did not move, nothing was published. */
public final class Offsets {
  private static final Pattern DEPARTMENT_TOPICS = Pattern.compile("intake\\.applications\\..+");

  private Offsets() {}

  public static long published(String bootstrap) {
    try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of("bootstrap.servers", bootstrap,
        "key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer",
        "value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer"))) {
      var partitions = consumer.listTopics(Duration.ofSeconds(30)).entrySet().stream()
          .filter(e -> DEPARTMENT_TOPICS.matcher(e.getKey()).matches())
          .flatMap(e -> e.getValue().stream().map(p -> new TopicPartition(p.topic(), p.partition())))
          .toList();
      return consumer.endOffsets(partitions, Duration.ofSeconds(30)).values().stream().mapToLong(Long::longValue).sum();
    }
  }

}
