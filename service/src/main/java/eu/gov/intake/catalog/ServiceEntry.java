package eu.gov.intake.catalog;

import io.vertx.core.json.JsonObject;

/** One service of the catalog, as front ends see it (contract section 4), with its compiled payload schema. */
public record ServiceEntry(String code, String departmentCode, String category, String nameZh, String nameEn,
                           boolean open, JsonObject schema, boolean idempotencyKeyRequired, int maxBodyBytes,
                           int dedupeWindowSeconds, PayloadSchema payloadSchema, boolean unusable) {

  public JsonObject toJson() {
    return new JsonObject().put("code", code)
        .put("names", new JsonObject().put("zh-CN", nameZh).put("en", nameEn))
        .put("departmentCode", departmentCode).put("category", category).put("open", open)
        .put("schema", schema).put("idempotencyKeyRequired", idempotencyKeyRequired)
        .put("maxBodyBytes", maxBodyBytes).put("dedupeWindowSeconds", dedupeWindowSeconds);
  }

  /** The list view leaves out the schema, which can be large. */
  public JsonObject toSummaryJson() {
    var json = toJson();
    json.remove("schema");
    return json;
  }
}
