package eu.gov.intake.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;

/** An RFC 9457 problem: a status, a kind (its {@code type} URI) and what to tell the client. */
record Problem(int status, String kind, String detail, Optional<Duration> retryAfter, Optional<JsonArray> errors) {
  static final String TYPE_BASE = "https://intake.example.gov/problems/";

  static Problem of(int status, String kind, String detail) {
    return new Problem(status, kind, detail, Optional.empty(), Optional.empty());
  }

  Problem retryAfter(Duration after) { return new Problem(status, kind, detail, Optional.of(after), errors); }

  Problem withErrors(JsonArray list) { return new Problem(status, kind, detail, retryAfter, Optional.of(list)); }

  JsonObject toJson(String title, String instance, String requestId) {
    var json = new JsonObject().put("type", TYPE_BASE + kind).put("title", title).put("status", status)
        .put("detail", detail).put("instance", instance).put("requestId", requestId);
    errors.ifPresent(e -> json.put("errors", e));
    return json;
  }
}
