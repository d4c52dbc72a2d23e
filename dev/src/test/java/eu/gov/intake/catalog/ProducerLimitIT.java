package eu.gov.intake.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.ExtraIntake;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15, item 4: a service may not accept an application larger than Kafka's producer takes. With the producer's
 * {@code max.request.size} at 100,000 bytes, every demo service (256 KiB allowed in the catalog) is served with the
 * limit of 100,000 less the event's overhead, and says so in the catalog.
 */
@ExtendWith(IntakeTestRun.class)
class ProducerLimitIT {
  @Test
  void servicesAllowingMoreThanTheProducerTakesAreServedWithItsLimit(TestIntake intake) {
    try (var small = ExtraIntake.start(intake, Map.of("INTAKE_KAFKA_PRODUCER_MAX_REQUEST_SIZE", "100000", "INTAKE_MAX_BODY", "64KiB"))) {
      var all = new JsonObject(Http.get(small.apiPort(), "/v1/services?size=200").body()).getJsonArray("items");
      assertThat(all).isNotEmpty();
      assertThat(all.stream().map(JsonObject.class::cast).mapToInt(s -> s.getInteger("maxBodyBytes")).max().orElseThrow())
          .isEqualTo(100_000 - 16_384);
      var shared = new JsonObject(Http.get(intake.apiPort(), "/v1/services?size=200").body()).getJsonArray("items");
      assertThat(shared.stream().map(JsonObject.class::cast).mapToInt(s -> s.getInteger("maxBodyBytes")).max().orElseThrow())
          .as("the shared instance, with the producer's default").isEqualTo(262_144);
    }
  }
}
