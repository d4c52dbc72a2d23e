package eu.gov.intake.http;

import eu.gov.intake.catalog.Catalog;
import eu.gov.intake.catalog.Department;
import eu.gov.intake.catalog.ServiceEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The catalog reads of contract section 4, served from the in-memory catalog. Paging and filters come later. */
final class CatalogHandlers {
  private final Catalog catalog;

  CatalogHandlers(Catalog catalog) { this.catalog = catalog; }

  void departments(RoutingContext ctx) {
    var items = new JsonArray(catalog.departments().stream().map(Department::toJson).toList());
    json(ctx, page(items));
  }

  void services(RoutingContext ctx) {
    var items = new JsonArray(catalog.services().stream().map(ServiceEntry::toSummaryJson).toList());
    json(ctx, page(items));
  }

  void service(RoutingContext ctx) {
    json(ctx, catalog.service(ctx.pathParam("code")).toJson());  // NotFound -> 404
  }

  private static JsonObject page(JsonArray items) {
    return new JsonObject().put("items", items).put("page", 1).put("size", items.size()).put("total", items.size());
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(body.toBuffer());
  }
}
