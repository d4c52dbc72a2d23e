package eu.gov.intake.catalog;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** A department that owns services; its applications go to {@code intake.applications.<code lower case>}. */
public record Department(String code, String nameZh, String nameEn) {
  public String topic() { return "intake.applications." + code.toLowerCase(Locale.ROOT); }

  public JsonObject toJson() {
    return new JsonObject().put("code", code).put("names", new JsonObject().put("zh-CN", nameZh).put("en", nameEn));
  }
}
