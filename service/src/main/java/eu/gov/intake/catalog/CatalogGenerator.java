package eu.gov.intake.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;

/**
 * A synthetic catalog at the portal's scale (61 departments, 3,622 services by default), for load tests and
 * capacity planning: deterministic for a seed, realistic in shape (names in both languages, the portal's core
 * categories, schemas of 3 to 14 fields mixing strings with patterns, enums, numbers with ranges, dates,
 * nested objects and arrays).
 */
public final class CatalogGenerator {
  private static final String SCHEMA = "https://json-schema.org/draft/2020-12/schema";
  private static final List<String[]> CATEGORIES = List.of(
      new String[] {"company registration", "企业登记"}, new String[] {"business change", "变更登记"},
      new String[] {"deregistration", "注销"}, new String[] {"taxation", "税务"}, new String[] {"residency", "居住"},
      new String[] {"education", "教育"}, new String[] {"health care", "医疗"}, new String[] {"transport", "交通"},
      new String[] {"social security", "社会保障"}, new String[] {"housing", "住房"}, new String[] {"permits", "许可"},
      new String[] {"culture", "文化"});
  private static final List<String[]> ACTIONS = List.of(
      new String[] {"application", "申请"}, new String[] {"registration", "登记"}, new String[] {"renewal", "延续"},
      new String[] {"change", "变更"}, new String[] {"cancellation", "注销"}, new String[] {"certificate", "证明开具"},
      new String[] {"subsidy claim", "补贴申领"}, new String[] {"filing", "备案"});
  private static final List<String[]> SUBJECTS = List.of(
      new String[] {"business licence", "营业执照"}, new String[] {"residence permit", "居住证"},
      new String[] {"vehicle", "机动车"}, new String[] {"medical insurance", "医疗保险"}, new String[] {"pension", "养老金"},
      new String[] {"school place", "学位"}, new String[] {"food business", "食品经营"}, new String[] {"construction", "建设工程"},
      new String[] {"tax invoice", "发票"}, new String[] {"housing fund", "公积金"}, new String[] {"talent", "人才"},
      new String[] {"event", "活动"});

  private CatalogGenerator() {}

  public static JsonObject generate(int departments, int services, long seed) {
    var random = new Random(seed);
    var deps = new JsonArray();
    for (int d = 1; d <= departments; d++) {
      deps.add(new JsonObject().put("code", String.format("SHG%02d", d))
          .put("names", new JsonObject().put("zh-CN", "上海市第" + d + "委办局").put("en", "Shanghai Bureau " + d)));
    }
    var list = new JsonArray();
    for (int s = 0; s < services; s++) {
      String dept = deps.getJsonObject(s % departments).getString("code");
      String[] category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
      String[] action = ACTIONS.get(random.nextInt(ACTIONS.size()));
      String[] subject = SUBJECTS.get(random.nextInt(SUBJECTS.size()));
      list.add(new JsonObject().put("code", String.format("%s-%04d", dept, s / departments + 1))
          .put("departmentCode", dept).put("category", category[0])
          .put("names", new JsonObject().put("zh-CN", subject[1] + action[1]).put("en", cap(subject[0]) + " " + action[0]))
          .put("open", random.nextInt(50) != 0)
          .put("schema", schema(random))
          .put("idempotencyKeyRequired", random.nextInt(5) != 0)
          .put("maxBodyBytes", List.of(16_384, 65_536, 262_144).get(random.nextInt(3)))
          .put("dedupeWindowSeconds", List.of(0, 600, 3600, 86_400).get(random.nextInt(4))));
    }
    return new JsonObject().put("departments", deps).put("services", list);
  }

  private static JsonObject schema(Random random) {
    var properties = new JsonObject();
    var required = new JsonArray();
    int fields = 3 + random.nextInt(12);
    for (int f = 0; f < fields; f++) {
      String name = "field" + f;
      properties.put(name, field(random, 0));
      if (random.nextInt(3) != 0) required.add(name);
    }
    return new JsonObject().put("$schema", SCHEMA).put("type", "object").put("additionalProperties", false)
        .put("required", required).put("properties", properties);
  }

  private static JsonObject field(Random random, int depth) {
    return switch (random.nextInt(depth > 0 ? 6 : 8)) {
      case 0 -> new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 10 + random.nextInt(500));
      case 1 -> new JsonObject().put("type", "string").put("pattern", "^[0-9A-Z]{" + (6 + random.nextInt(12)) + "}$");
      case 2 -> new JsonObject().put("enum", new JsonArray(List.of("A", "B", "C", "D").subList(0, 2 + random.nextInt(3))));
      case 3 -> new JsonObject().put("type", "integer").put("minimum", 0).put("maximum", 1 + random.nextInt(1_000_000));
      case 4 -> new JsonObject().put("type", "number").put("minimum", 0);
      case 5 -> new JsonObject().put("type", "string").put("format", "date");
      case 6 -> new JsonObject().put("type", "object").put("required", new JsonArray().add("a"))
          .put("properties", new JsonObject().put("a", field(random, depth + 1)).put("b", field(random, depth + 1)));
      default -> new JsonObject().put("type", "array").put("maxItems", 1 + random.nextInt(20)).put("items", field(random, depth + 1));
    };
  }

  private static String cap(String s) { return Character.toUpperCase(s.charAt(0)) + s.substring(1); }
}
