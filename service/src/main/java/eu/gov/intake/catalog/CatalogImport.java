package eu.gov.intake.catalog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/** Writes a catalog document ({@code {departments: [...], services: [...]}}) into PostgreSQL, upserting by code. */
public final class CatalogImport {
  private CatalogImport() {}

  public static Future<Integer> upsert(Pool pool, JsonObject document) {
    List<Tuple> departments = document.getJsonArray("departments", new JsonArray()).stream()
        .map(JsonObject.class::cast)
        .map(d -> Tuple.of(d.getString("code"), names(d).getString("zh-CN"), names(d).getString("en")))
        .toList();
    List<Tuple> services = document.getJsonArray("services", new JsonArray()).stream()
        .map(JsonObject.class::cast)
        .map(s -> Tuple.of(s.getString("code"), s.getString("departmentCode"), s.getString("category"),
                names(s).getString("zh-CN"), names(s).getString("en"), s.getBoolean("open", true))
            .addValue(s.getJsonObject("schema")).addValue(s.getBoolean("idempotencyKeyRequired", true))
            .addValue(s.getInteger("maxBodyBytes", 262144)).addValue(s.getInteger("dedupeWindowSeconds", 600)))
        .toList();
    // executeBatch refuses an empty batch: a document may bring only services, or only departments
    return pool.withTransaction(conn -> (departments.isEmpty() ? Future.succeededFuture() : conn.preparedQuery("""
            INSERT INTO departments (code, name_zh, name_en) VALUES ($1, $2, $3)
            ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en""")
        .executeBatch(departments).mapEmpty())
        .compose(done -> services.isEmpty() ? Future.succeededFuture() : conn.preparedQuery("""
                INSERT INTO services (code, department_code, category, name_zh, name_en, open, payload_schema,
                                      idempotency_key_required, max_body_bytes, dedupe_window_seconds)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (code) DO UPDATE SET department_code = excluded.department_code,
                  category = excluded.category, name_zh = excluded.name_zh, name_en = excluded.name_en,
                  open = excluded.open, payload_schema = excluded.payload_schema,
                  idempotency_key_required = excluded.idempotency_key_required,
                  max_body_bytes = excluded.max_body_bytes, dedupe_window_seconds = excluded.dedupe_window_seconds,
                  updated_at = now()""").executeBatch(services).mapEmpty())
        .map(done -> services.size()));
  }

  private static JsonObject names(JsonObject entry) { return entry.getJsonObject("names", new JsonObject()); }
}
