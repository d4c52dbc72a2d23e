package eu.gov.intake.http;

import com.fasterxml.jackson.databind.JsonNode;
import eu.gov.intake.failure.MalformedRequest;
import eu.gov.intake.failure.PayloadTooLarge;
import eu.gov.intake.failure.Text.Lang;
import eu.gov.intake.failure.UnsupportedMediaType;
import eu.gov.intake.submission.RequestJson;
import eu.gov.intake.submission.Submission;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Optional;

/** Turns an HTTP request into a {@link Submission}: headers, media type, the strict JSON body, batch items. */
final class SubmissionReader {
  private SubmissionReader() {}

  static Submission single(RoutingContext ctx) {
    var request = ctx.request();
    requireJson(request);
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    var item = new Submission.Item(IdempotencyKeyHeader.parse(request.getHeader("Idempotency-Key")),
        RequestJson.parse(body), body.length, "");
    return Submission.single(apiKey(request), item, traceparent(request), Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS), lang(request),
        RequestIds.of(request));
  }

  /** {@code {"items": [{idempotencyKey?, serviceCode, applicant, channel, payload}, ...]}}, at most {@code maxItems}. */
  static Submission batch(RoutingContext ctx, int maxItems) {
    var request = ctx.request();
    requireJson(request);
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    JsonNode root = RequestJson.parse(body);
    JsonNode items = root.get("items");
    if (!root.isObject() || items == null || !items.isArray() || items.isEmpty()) {
      throw new MalformedRequest("a batch is {\"items\": [...]} with at least one item", "批量请求须为 {\"items\": [...]} 且至少包含一项");
    }
    if (items.size() > maxItems) {
      throw new PayloadTooLarge("a batch holds at most " + maxItems + " items, this one " + items.size(),
          "每批最多 " + maxItems + " 项，本批 " + items.size() + " 项");
    }
    var list = new ArrayList<Submission.Item>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      JsonNode key = item.get("idempotencyKey");
      if (key != null && !key.isTextual()) {
        throw new MalformedRequest("items/" + i + "/idempotencyKey must be a string", "items/" + i + "/idempotencyKey 必须是字符串");
      }
      list.add(new Submission.Item(key == null ? Optional.empty() : IdempotencyKeyHeader.parse(key.asText()), item,
          RequestJson.write(item).length, "/items/" + i));
    }
    return new Submission(apiKey(request), list, traceparent(request), Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS), lang(request),
        RequestIds.of(request));
  }

  /** application/json, optionally with charset=utf-8; nothing else is read. */
  static void requireJson(HttpServerRequest request) {
    String contentType = request.getHeader("Content-Type");
    if (contentType != null) {
      String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
      boolean json = parts[0].strip().equals("application/json");
      for (int i = 1; i < parts.length && json; i++) {
        String[] param = parts[i].strip().split("=", 2);
        if (param[0].equals("charset")) json = param.length == 2 && param[1].replace("\"", "").equals("utf-8");
      }
      if (json) return;
    }
    throw new UnsupportedMediaType("send the body as Content-Type: application/json (UTF-8)", "请以 Content-Type: application/json（UTF-8）发送请求体");
  }

  static String apiKey(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).strip() : null;
  }

  /** W3C trace context: passed on to the event only when well-formed. */
  private static Optional<String> traceparent(HttpServerRequest request) {
    return Optional.ofNullable(request.getHeader("traceparent"))
        .filter(tp -> tp.matches("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}"));
  }

  static Lang lang(HttpServerRequest request) { return Lang.fromAcceptLanguage(request.getHeader("Accept-Language")); }
}
