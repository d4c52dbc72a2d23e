package eu.gov.intake.http;

import eu.gov.intake.catalog.Catalog;
import eu.gov.intake.catalog.Department;
import eu.gov.intake.catalog.ServiceEntry;
import eu.gov.intake.failure.MalformedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The catalog reads of contract section 4, served from the in-memory catalog: filters, paging, and caching
 * headers. An answer depends only on the catalog version and the request URI, so that pair is its ETag, and
 * a front end that sends it back gets a 304 without a body.
 */
final class CatalogHandlers {
  static final int DEFAULT_SIZE = 50;
  static final int MAX_SIZE = 200;
  /** Front ends may reuse an answer this long: a catalog change reaches every instance within 30 s anyway. */
  private static final String CACHE_CONTROL = "public, max-age=30";

  private final Catalog catalog;

  CatalogHandlers(Catalog catalog) { this.catalog = catalog; }

  void departments(RoutingContext ctx) {
    cached(ctx, () -> page(ctx, List.copyOf(catalog.departments()), d -> true, Department::toJson));
  }

  /** {@code ?department=&category=&q=&page=&size=}; {@code q} matches the code and both names, any case. */
  void services(RoutingContext ctx) {
    String department = ctx.request().getParam("department");
    String category = ctx.request().getParam("category");
    String q = ctx.request().getParam("q") == null ? null : ctx.request().getParam("q").strip().toLowerCase(Locale.ROOT);
    Predicate<ServiceEntry> filter = s -> (department == null || s.departmentCode().equalsIgnoreCase(department))
        && (category == null || s.category().equalsIgnoreCase(category))
        && (q == null || q.isEmpty() || s.code().toLowerCase(Locale.ROOT).contains(q) || s.nameZh().contains(q)
            || s.nameEn().toLowerCase(Locale.ROOT).contains(q));
    cached(ctx, () -> page(ctx, List.copyOf(catalog.services()), filter, ServiceEntry::toSummaryJson));
  }

  void service(RoutingContext ctx) {
    cached(ctx, () -> catalog.service(ctx.pathParam("code")).toJson());  // NotFound -> 404
  }

  private static <T> JsonObject page(RoutingContext ctx, List<T> all, Predicate<T> filter, Function<T, JsonObject> json) {
    int page = intParam(ctx, "page", 1, 1, Integer.MAX_VALUE);
    int size = intParam(ctx, "size", DEFAULT_SIZE, 1, MAX_SIZE);
    List<T> matching = all.stream().filter(filter).toList();
    long from = (long) (page - 1) * size;
    var items = new JsonArray(matching.stream().skip(from).limit(size).map(json).toList());
    return new JsonObject().put("items", items).put("page", page).put("size", size).put("total", matching.size());
  }

  private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String raw = ctx.request().getParam(name);
    if (raw == null) return fallback;
    try {
      int value = Integer.parseInt(raw);
      if (value >= min && value <= max) return value;
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw new MalformedRequest(name + " must be a whole number from " + min + " to " + max,
        name + " 必须是 " + min + " 到 " + max + " 之间的整数");
  }

  private void cached(RoutingContext ctx, java.util.function.Supplier<JsonObject> body) {
    String etag = "\"" + catalog.version() + "-" + digest(ctx.request().uri()) + "\"";
    var response = ctx.response().putHeader("ETag", etag).putHeader("Cache-Control", CACHE_CONTROL);
    if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader("Content-Type", "application/json; charset=utf-8").end(body.get().toBuffer());
  }

  private static String digest(String uri) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
