package intake.load;

import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.headerRegex;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * What every simulation shares: the knobs (Java system properties, passed on by the Maven plugin), the API keys
 * (from dev mode's {@code dev.json} unless given), the HTTP protocol, and valid demo applications with fresh
 * applicants and Idempotency-Keys that no other run uses.
 *
 * <p>Knobs: {@code baseUrl} (http://127.0.0.1:8080), {@code profile} (smoke | full), {@code devJson}
 * (.intake/dev.json, relative to the repository root), {@code apiKey} (a channel client's key; default demo-web),
 * {@code channels} (the channels {@code apiKey} may use; default WEB,MOBILE), {@code counterKey} (default
 * demo-counter, none when {@code apiKey} is given), {@code deptKey} (default dept-shtax; must own SHTAX-0001), and
 * per simulation the rates and durations that its class comment lists.
 */
final class Intake {
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static final String BASE_URL = stripSlash(System.getProperty("baseUrl", "http://127.0.0.1:8080"));
  static final String PROFILE = System.getProperty("profile", "smoke").trim().toLowerCase(Locale.ROOT);

  /** Different in every run (and every JVM), so keys and applicants never meet an earlier run's records. */
  static final String RUN = Long.toString(System.currentTimeMillis(), 36) + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
  private static final long APPLICANT_BASE = Math.floorMod(System.currentTimeMillis() * 1000 + ThreadLocalRandom.current().nextInt(1000), 1_000_000_000_000L);
  private static final AtomicLong NEXT = new AtomicLong();

  private static DevJson devJson;

  private Intake() {}

  static {
    if (!PROFILE.equals("smoke") && !PROFILE.equals("full")) {
      throw new IllegalArgumentException("-Dprofile must be smoke or full, not " + PROFILE);
    }
  }

  static boolean smoke() { return PROFILE.equals("smoke"); }

  /** A number knob: {@code -Dname=...}, else the profile's default. */
  static int knob(String name, int smoke, int full) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? (smoke() ? smoke : full) : Integer.parseInt(v.trim());
  }

  static double knob(String name, double smoke, double full) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? (smoke() ? smoke : full) : Double.parseDouble(v.trim());
  }

  static Duration seconds(int s) { return Duration.ofSeconds(s); }

  // ---- keys ----

  /** The channel client's key: {@code -DapiKey}, else demo-web's. */
  static String channelKey() {
    String k = System.getProperty("apiKey");
    return k != null && !k.isBlank() ? k.trim() : dev().key("demo-web");
  }

  /** Channels the channel key may use: {@code -Dchannels}, default WEB,MOBILE (demo-web's). */
  static List<String> channels() {
    return List.of(System.getProperty("channels", "WEB,MOBILE").trim().split("\\s*,\\s*"));
  }

  /** demo-counter's key for COUNTER traffic, or null: {@code -DcounterKey}; none when only {@code -DapiKey} is given. */
  static String counterKey() {
    String k = System.getProperty("counterKey");
    if (k != null && !k.isBlank()) return k.trim();
    if (System.getProperty("apiKey") != null) return null;
    return dev().keyOrNull("demo-counter");
  }

  /** The department key that owns SHTAX-0001: {@code -DdeptKey}, else dept-shtax's. */
  static String deptKey() {
    String k = System.getProperty("deptKey");
    return k != null && !k.isBlank() ? k.trim() : dev().key("dept-shtax");
  }

  private static synchronized DevJson dev() {
    if (devJson == null) devJson = DevJson.load(System.getProperty("devJson", ".intake/dev.json"));
    return devJson;
  }

  /** Dev mode's {@code dev.json}: its clients' keys by client id. */
  private record DevJson(Path path, Map<String, String> keys) {
    static DevJson load(String name) {
      Path path = locate(Path.of(name));
      try {
        JsonNode root = JSON.readTree(Files.readAllBytes(path));
        Map<String, String> keys = new HashMap<>();
        for (JsonNode c : root.path("clients")) keys.put(c.path("clientId").asText(), c.path("apiKey").asText());
        return new DevJson(path, keys);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path, e);
      }
    }

    /** An absolute path as it is; a relative one from the working directory or the nearest parent that has it. */
    private static Path locate(Path p) {
      if (p.isAbsolute()) {
        if (Files.isReadable(p)) return p;
        throw new IllegalStateException(p + " not found: start dev mode (./mvnw -q compile exec:exec) or pass -DapiKey and -DdeptKey");
      }
      for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
        if (Files.isReadable(dir.resolve(p))) return dir.resolve(p);
      }
      throw new IllegalStateException(p + " not found from " + Path.of("").toAbsolutePath()
          + " or its parents: start dev mode (./mvnw -q compile exec:exec), pass -DdevJson=/abs/path/dev.json, or -DapiKey and -DdeptKey");
    }

    String key(String clientId) {
      String k = keys.get(clientId);
      if (k == null || k.isBlank()) throw new IllegalStateException(path + " has no key for " + clientId);
      return k;
    }

    String keyOrNull(String clientId) { return keys.get(clientId); }
  }

  // ---- HTTP ----

  /**
   * One connection pool shared by all virtual users, as the portal's front-end servers keep connections to Intake
   * open (and so a burst of 1,000 users/s does not burn 1,000 ephemeral ports a second). No warm-up request to any
   * other host: traffic goes to {@code baseUrl} only.
   */
  static HttpProtocolBuilder protocol(String simulation) {
    return http.baseUrl(BASE_URL)
        .shareConnections()
        .disableWarmUp()
        .disableCaching()
        .acceptHeader("application/json")
        .acceptLanguageHeader("en")
        .userAgentHeader("intake-gatling/" + simulation);
  }

  /** Checks of an RFC 9457 answer: the exact status, application/problem+json, and the problem's type. */
  static CheckBuilder[] problem(int status, String type) {
    return new CheckBuilder[] {
        status().is(status),
        headerRegex("Content-Type", "^application/problem\\+json").exists(),
        jsonPath("$.status").ofInt().is(status),
        jsonPath("$.type").is("https://intake.example.gov/problems/" + type),
        header("X-Request-Id").exists(),
    };
  }

  // ---- applications ----

  /** A sequence number unique in this JVM; with {@link #RUN} it makes keys and applicants unique across runs. */
  static long next() { return NEXT.incrementAndGet(); }

  /** A fresh individual's id (18 digits like a resident id card number, never repeated in a run). */
  static String individual(long n) { return String.format("31%016d", (APPLICANT_BASE + n) % 10_000_000_000_000_000L); }

  /** A fresh enterprise's id (18 characters like a unified social credit code). */
  static String enterprise(long n) { return String.format("9131%014d", (APPLICANT_BASE + n) % 100_000_000_000_000L); }

  static String idempotencyKey(String prefix, long n) { return "gatling-" + RUN + "-" + prefix + "-" + n; }

  /** SHTAX-0001, individual income tax return (Idempotency-Key required; about 170 bytes). */
  static ObjectNode taxReturn(String applicant, String channel, long n) {
    ObjectNode payload = NODES.objectNode().put("taxYear", 2025).put("annualIncome", 120000 + n % 50000).put("withheldTax", 9000);
    return envelope("SHTAX-0001", "INDIVIDUAL", applicant, channel, payload);
  }

  /** SHAMR-0001, company registration: the ~1 KB application of load-tests/bench/submit.lua. */
  static ObjectNode companyRegistration(String applicant, String channel, long n) {
    ObjectNode payload = NODES.objectNode()
        .put("companyName", "上海浦江云数科技有限公司" + n)
        .put("companyType", "LIMITED_LIABILITY")
        .put("registeredCapital", 5000000)
        .put("businessScope", "从事信息技术、软件科技领域内的技术开发、技术咨询、技术服务、技术转让；计算机系统集成；数据处理服务；软件开发；"
            + "信息系统运行维护服务；电子产品、计算机软硬件及辅助设备的销售。（依法须经批准的项目，经相关部门批准后方可开展经营活动）")
        .put("registeredAddress", "上海市浦东新区张江高科技园区碧波路690号3幢501室");
    payload.putObject("legalRepresentative").put("name", "王晓明").put("idNumber", "310115198803154217");
    ArrayNode shareholders = payload.putArray("shareholders");
    shareholders.addObject().put("name", "王晓明").put("sharePercent", 60);
    shareholders.addObject().put("name", "李华").put("sharePercent", 40);
    return envelope("SHAMR-0001", "ENTERPRISE", applicant, channel, payload);
  }

  /** SHHOUSING-0009, lease registration (no key required, content dedupe off). */
  static ObjectNode leaseRegistration(String applicant, String channel, long n) {
    ObjectNode payload = NODES.objectNode().put("propertyAddress", "上海市静安区南京西路" + (1 + n % 2000) + "号")
        .put("monthlyRent", 6500).put("leaseStart", "2026-12-01").put("leaseEnd", "2027-11-30");
    return envelope("SHHOUSING-0009", "INDIVIDUAL", applicant, channel, payload);
  }

  /** SHHRSS-0011, social security card replacement (no key required, content dedupe 600 s). */
  static ObjectNode cardReplacement(String applicant, String channel, long n) {
    ObjectNode payload = NODES.objectNode().put("reason", "LOST").put("collectionMethod", "COUNTER");
    return envelope("SHHRSS-0011", "INDIVIDUAL", applicant, channel, payload);
  }

  static ObjectNode envelope(String service, String applicantType, String applicant, String channel, JsonNode payload) {
    ObjectNode app = NODES.objectNode().put("serviceCode", service);
    app.putObject("applicant").put("type", applicantType).put("id", applicant);
    app.put("channel", channel);
    app.set("payload", payload);
    return app;
  }

  static String json(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An endless, thread-safe feeder: record {@code n} (1, 2, ...) made by {@code record}. */
  static Iterator<Map<String, Object>> feeder(LongFunction<Map<String, Object>> record) {
    return new Iterator<>() {
      @Override public boolean hasNext() { return true; }
      @Override public Map<String, Object> next() { return record.apply(Intake.next()); }
    };
  }

  /** An endless, thread-safe feeder with its own sequence 1, 2, ...: two scenarios fed alike get the same records. */
  static Iterator<Map<String, Object>> sequence(LongFunction<Map<String, Object>> record) {
    AtomicLong counter = new AtomicLong();
    return new Iterator<>() {
      @Override public boolean hasNext() { return true; }
      @Override public Map<String, Object> next() { return record.apply(counter.incrementAndGet()); }
    };
  }

  static Map<String, Object> record(Object... keysAndValues) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return m;
  }

  private static String stripSlash(String s) { return s.endsWith("/") ? s.substring(0, s.length() - 1) : s; }

  /** One line at the start of each simulation, so a report can be matched to its knobs. */
  static void banner(String simulation, String details) {
    System.out.printf("%s: profile=%s baseUrl=%s run=%s %s%n", simulation, PROFILE, BASE_URL, RUN, details);
  }
}
