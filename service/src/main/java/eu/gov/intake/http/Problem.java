package eu.gov.intake.http;

import eu.gov.intake.failure.Text;
import eu.gov.intake.failure.Text.Lang;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** An RFC 9457 problem: a status, a kind (its {@code type} URI) and what to tell the client. */
record Problem(int status, String kind, Text detail, Optional<Duration> retryAfter, Map<String, String> headers) {
  /** Problem kinds are documented in the README, one line each. */
  static final String TYPE_BASE = "https://intake.example.gov/problems/";

  static Problem of(int status, String kind, Text detail) {
    return new Problem(status, kind, detail, Optional.empty(), Map.of());
  }

  Problem retryAfter(Duration after) { return new Problem(status, kind, detail, Optional.of(after), headers); }

  Problem header(String name, String value) {
    var more = new java.util.LinkedHashMap<>(headers);
    more.put(name, value);
    return new Problem(status, kind, detail, retryAfter, Map.copyOf(more));
  }

  JsonObject toJson(String title, Lang lang, String instance, String requestId) {
    return new JsonObject().put("type", TYPE_BASE + kind).put("title", title).put("status", status)
        .put("detail", detail.in(lang)).put("instance", instance).put("requestId", requestId);
  }
}
