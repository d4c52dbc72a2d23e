package eu.gov.intake.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.config.KafkaSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
  private static final KafkaSettings SECURED = new KafkaSettings(Optional.of("kafka-1:9093"),
      Map.of("security.protocol", "SASL_SSL", "linger.ms", "7", "acks", "all"), Map.of("linger.ms", "9"),
      Map.of("client.rack", "zone-b"), Map.of("request.timeout.ms", "4000"),
      new KafkaSettings.TopicSettings(6, (short) -1, Optional.of(Duration.ofDays(7)), true, false));

  @Test
  void eachLayerGoesOverTheOneBeforeAndTheDurabilitySettingsComeLast() {
    var clients = new KafkaClients(null, SECURED);
    var producer = clients.producerProperties(Map.of("linger.ms", "5", "client.id", "intake", "acks", "1"));
    assertThat(producer).containsEntry("bootstrap.servers", "kafka-1:9093").containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("linger.ms", "9").containsEntry("client.id", "intake")
        .containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
    var consumer = clients.consumerProperties(Map.of("group.id", "intake-ledger", "enable.auto.commit", "true"));
    assertThat(consumer).containsEntry("security.protocol", "SASL_SSL").containsEntry("client.rack", "zone-b")
        .containsEntry("linger.ms", "7").containsEntry("enable.auto.commit", "false").doesNotContainKey("enable.idempotence");
    assertThat(clients.adminProperties(Map.of())).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("request.timeout.ms", "4000").doesNotContainKey("client.rack");
  }
}
