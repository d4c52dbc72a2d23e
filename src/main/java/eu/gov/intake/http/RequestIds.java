package eu.gov.intake.http;

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

  private static boolean isSane(String id) {
    return id != null && !id.isEmpty() && id.length() <= 128 && id.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
  }
}
