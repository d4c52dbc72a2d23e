package eu.gov.intake.http;

import eu.gov.intake.tracing.Tracing;
import io.vertx.core.http.HttpServerRequest;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** {@code X-Request-Id}: echoed when the client sent a sane one (1..128 printable ASCII), else generated. */
final class RequestIds {
  static final String HEADER = "X-Request-Id";

  private RequestIds() {}

  /** The request's id, decided once and kept on the response headers, so every later reader sees the same. */
  static String of(HttpServerRequest request) {
    var headers = request.response().headers();
    String id = headers.get(HEADER);
    if (id == null) {
      String given = request.getHeader(HEADER);
      id = isSane(given) ? given : new UUID(ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong()).toString();
      headers.set(HEADER, id);
    }
    return id;
  }

  /**
   * The W3C trace id of the request: its span's when tracing is on, else the client's {@code traceparent}'s when it sent a valid one, else one made
   * here and told back in {@code traceresponse} (Trace Context level 2), so that a client can quote it.
   */
  static String traceId(HttpServerRequest request) {
    var span = Tracing.currentTraceId();
    if (span.isPresent()) return span.get();  // tracing on: the trace the request's span belongs to
    var given = Tracing.traceIdOf(request.getHeader("traceparent"));
    if (given.isPresent()) return given.get();
    var headers = request.response().headers();
    var told = Tracing.traceIdOf(headers.get("traceresponse"));
    if (told.isPresent()) return told.get();
    var random = ThreadLocalRandom.current();
    String id = String.format("%016x%016x", random.nextLong(), random.nextLong());
    headers.set("traceresponse", "00-" + id + "-" + String.format("%016x", random.nextLong() | 1) + "-00");
    return id;
  }

  private static boolean isSane(String id) {
    return id != null && !id.isEmpty() && id.length() <= 128 && id.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
  }
}
