package eu.gov.intake.tracing;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;
import java.util.Optional;

/**
 * Traces, off unless the standard OpenTelemetry settings name an OTLP endpoint ({@code OTEL_EXPORTER_OTLP_ENDPOINT}
 * or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, and not {@code OTEL_SDK_DISABLED=true}): then the SDK is set up
 * from every {@code OTEL_*} variable (service name, sampler, headers, protocol). Off means no tracer at all in
 * Vert.x, so the request path pays nothing for it.
 */
public final class Tracing {
  private Tracing() {}

  public static Optional<OpenTelemetrySdk> fromEnv(Map<String, String> env) {
    boolean endpoint = env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT") || env.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    if (!endpoint || "true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED"))) return Optional.empty();
    return Optional.of(AutoConfiguredOpenTelemetrySdk.builder()
        // Intake exports traces only: its metrics are Prometheus's, its logs go to stdout. OTLP over HTTP
        // (port 4318), the protocol the JDK's HTTP client sender speaks; gRPC would need OkHttp or grpc-java.
        .addPropertiesSupplier(() -> Map.of("otel.metrics.exporter", "none", "otel.logs.exporter", "none",
            "otel.service.name", "intake", "otel.exporter.otlp.protocol", "http/protobuf"))
        .disableShutdownHook()
        .build().getOpenTelemetrySdk());
  }

  private static final java.util.regex.Pattern TRACEPARENT = java.util.regex.Pattern.compile("00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

  /** The trace id of a W3C {@code traceparent} (version 00), if it is one; the all-zero id is invalid. */
  public static Optional<String> traceIdOf(String traceparent) {
    if (traceparent == null) return Optional.empty();
    var m = TRACEPARENT.matcher(traceparent);
    return m.matches() && !m.group(1).equals("0".repeat(32)) ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The trace id of the span in progress on this thread's Vert.x context, if tracing is on and one is. */
  public static Optional<String> currentTraceId() {
    var context = io.opentelemetry.api.trace.Span.current().getSpanContext();
    return context.isValid() ? Optional.of(context.getTraceId()) : Optional.empty();
  }
}
