package eu.gov.intake.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Applications;
import eu.gov.intake.testing.Await;
import eu.gov.intake.testing.ExtraIntake;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One trace from the HTTP request to the Kafka send, with the SDK's in-memory exporter: the submission's server
 * span continues the client's traceparent, the producer span is in the same trace, and the Kafka record carries
 * the producer span's own traceparent for the department's consumer to continue.
 */
@ExtendWith(IntakeTestRun.class)
class TracingIT {
  @Test
  void aSubmissionIsOneTraceFromTheClientsTraceparentToTheKafkaRecord(TestIntake intake) {
    var exporter = InMemorySpanExporter.create();
    var sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String clientSpan = "00f067aa0ba902b7";
    try (var traced = ExtraIntake.start(intake, Map.of(), Optional.of(sdk))) {
      var response = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + traced.apiPort() + "/v1/applications"))
          .header("Authorization", "Bearer " + intake.keyOf("demo-web")).header("Idempotency-Key", "trace-" + UUID.randomUUID())
          .header("Content-Type", "application/json").header("traceparent", "00-" + traceId + "-" + clientSpan + "-01")
          .POST(HttpRequest.BodyPublishers.ofString(Applications.taxReturn(Applications.freshApplicant()).encode())));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      String id = new JsonObject(response.body()).getString("applicationId");

      Await.until("a server span and a producer span of the client's trace", Duration.ofSeconds(30), Duration.ofMillis(100),
          () -> spans(exporter, traceId).stream().anyMatch(s -> s.getKind() == SpanKind.SERVER)
              && spans(exporter, traceId).stream().anyMatch(s -> s.getKind() == SpanKind.PRODUCER));
      var trace = spans(exporter, traceId);
      var server = trace.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
      assertThat(server.getParentSpanId()).as("continues the client's span").isEqualTo(clientSpan);
      var producer = trace.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
      assertThat(producer.getTraceId()).isEqualTo(traceId);

      var record = Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax", r -> id.equals(Topic.header(r, "ce_id")), 1);
      assertThat(record).hasSize(1);
      assertThat(record.get(0).headers().headers("traceparent")).as("one traceparent, not the client's beside it").hasSize(1);
      assertThat(Topic.header(record.get(0), "traceparent")).as("the record carries the producer span")
          .isEqualTo("00-" + traceId + "-" + producer.getSpanId() + "-01");
    } finally {
      sdk.close();
    }
  }

  private static List<SpanData> spans(InMemorySpanExporter exporter, String traceId) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
  }
}
