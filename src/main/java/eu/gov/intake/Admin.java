package eu.gov.intake;

import eu.gov.intake.auth.ApiKeys;
import eu.gov.intake.auth.Clients;
import eu.gov.intake.catalog.CatalogGenerator;
import eu.gov.intake.catalog.CatalogImport;
import eu.gov.intake.catalog.PayloadSchema;
import eu.gov.intake.migration.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The admin command line, in the same jar: {@code clients create|list|revoke}, {@code catalog load|export|generate},
 * {@code receipt-key generate}, {@code ledger verify}.
 * It talks to PostgreSQL only: {@code INTAKE_PG_URL}, or the running dev instance's (from .intake/dev.json).
 * Its output is the command's answer (a new key is shown here once and nowhere else), so it goes to stdout.
 */
final class Admin {
  static final String USAGE = """
      usage: intake clients create <id> --channels WEB,MOBILE [--services A-0001,B-0002] [--rate <per second>] [--burst <n>]
             intake clients create <id> --department <CODE>
             intake clients list
             intake clients revoke <key prefix>
             intake catalog load <file.json|.yaml> (validates, compiles every schema, then upserts)
             intake catalog export <file.json>
             intake catalog generate <file.json> [departments 61] [services 3622] [seed 1]
             intake receipt-key generate (a new Ed25519 receipt key, for INTAKE_RECEIPT_SIGNING_KEY)
             intake ledger verify <DEPARTMENT> (recomputes the department's hash chain; exit 1 if broken)""";

  private final PrintStream out;

  Admin(PrintStream out) { this.out = out; }

  /** Runs one command; returns the process exit code. */
  int run(List<String> args, Map<String, String> env) throws IOException {
    if (args.size() >= 3 && args.get(0).equals("catalog") && args.get(1).equals("generate")) {
      return generate(args);  // needs no database
    }
    if (args.equals(List.of("receipt-key", "generate"))) {
      String[] key = eu.gov.intake.audit.ReceiptKeys.generate();  // needs no database either
      out.println("# the signing key: a secret, for this deployment's INTAKE_RECEIPT_SIGNING_KEY only");
      out.println("INTAKE_RECEIPT_SIGNING_KEY=" + key[0]);
      out.println("# its public key: after a rotation, append it to INTAKE_RECEIPT_PREVIOUS_KEYS (comma-separated)");
      out.println("# so that receipts signed with it keep verifying");
      out.println("public key: " + key[1]);
      return 0;
    }
    String pgUrl = env.getOrDefault("INTAKE_PG_URL", devPostgres(Path.of(env.getOrDefault("INTAKE_DATA_DIR", ".intake"))));
    if (pgUrl == null) {
      out.println("intake: set INTAKE_PG_URL, or start dev mode first (its PostgreSQL is in .intake/dev.json)");
      return 2;
    }
    var vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(pgUrl)).using(vertx).build();
    try {
      Migrations.apply(vertx, pool).await();
      return command(args, pool);
    } finally {
      pool.close().await();
      vertx.close().await();
    }
  }

  private int command(List<String> args, Pool pool) throws IOException {
    String what = String.join(" ", args.subList(0, Math.min(2, args.size())));
    switch (what) {
      case "clients create" -> {
        if (args.size() < 3) return usage();
        String id = args.get(2);
        String department = option(args, "--department");
        Future<Void> upsert = department != null ? new Clients(pool).upsertDepartment(id, department)
            : new Clients(pool).upsertChannel(id, Arrays.asList(required(args, "--channels").split(",")),
                java.util.Optional.ofNullable(option(args, "--services")).map(list -> Arrays.asList(list.split(","))),
                Integer.parseInt(optionOr(args, "--rate", "100")), Integer.parseInt(optionOr(args, "--burst", "200")));
        var key = upsert.compose(v -> new ApiKeys(pool).issue(id)).await();
        out.println("client " + id + ": new API key (shown this once, stored only as a hash):");
        out.println(key.value());
        return 0;
      }
      case "clients list" -> {
        pool.query("""
            SELECT c.client_id, c.kind, array_to_string(c.channels, ',') || coalesce(' services=' || array_to_string(c.services, ','), ''),
                   coalesce(c.department_code, ''),
                   c.rate_per_second, c.burst, c.enabled,
                   (SELECT string_agg(k.prefix, ',') FROM api_keys k WHERE k.client_id = c.client_id AND k.revoked_at IS NULL)
            FROM clients c ORDER BY c.client_id""").execute().await()
            .forEach(r -> out.printf("%-24s %-10s channels=%s department=%s rate=%d/s burst=%d enabled=%s keys=%s%n",
                r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getInteger(4), r.getInteger(5),
                r.getBoolean(6), r.getString(7)));
        return 0;
      }
      case "clients revoke" -> {
        if (args.size() < 3) return usage();
        boolean revoked = new ApiKeys(pool).revoke(args.get(2)).await();
        out.println(revoked ? "revoked " + args.get(2) + "; every instance refuses it within 30 s" : "no active key with prefix " + args.get(2));
        return revoked ? 0 : 1;
      }
      case "catalog load" -> {
        if (args.size() < 3) return usage();
        long started = System.nanoTime();
        var document = readCatalog(Path.of(args.get(2)));
        var services = document.getJsonArray("services", new JsonArray());
        for (Object s : services) {
          var service = (JsonObject) s;
          try {
            PayloadSchema.compile(service.getJsonObject("schema", new JsonObject()));
          } catch (IllegalArgumentException e) {
            out.println("intake: service " + service.getString("code") + ": " + e.getMessage() + "; nothing loaded");
            return 1;
          }
        }
        long compiled = System.nanoTime();
        int count = CatalogImport.upsert(pool, document).await();
        out.printf("loaded %d departments and %d services (schemas compiled in %d ms, written in %d ms); "
                + "running instances pick the change up within 30 s%n", document.getJsonArray("departments", new JsonArray()).size(),
            count, (compiled - started) / 1_000_000, (System.nanoTime() - compiled) / 1_000_000);
        return 0;
      }
      case "ledger verify" -> {
        if (args.size() < 3) return usage();
        var verdict = eu.gov.intake.audit.LedgerChain.verify(pool, args.get(2)).await();
        out.println(verdict.intact()
            ? verdict.department() + ": " + verdict.entries() + " entries, chain intact, head " + verdict.head()
            : verdict.department() + ": BROKEN after entry " + verdict.entries() + ": " + verdict.problem());
        return verdict.intact() ? 0 : 1;
      }
      case "catalog export" -> {
        if (args.size() < 3) return usage();
        var departments = new JsonArray();
        pool.query("SELECT code, name_zh, name_en FROM departments ORDER BY code").execute().await()
            .forEach(r -> departments.add(new JsonObject().put("code", r.getString(0))
                .put("names", new JsonObject().put("zh-CN", r.getString(1)).put("en", r.getString(2)))));
        var services = new JsonArray();
        pool.query("""
            SELECT code, department_code, category, name_zh, name_en, open, payload_schema, idempotency_key_required,
                   max_body_bytes, dedupe_window_seconds FROM services ORDER BY code""").execute().await()
            .forEach(r -> services.add(new JsonObject().put("code", r.getString(0)).put("departmentCode", r.getString(1))
                .put("category", r.getString(2)).put("names", new JsonObject().put("zh-CN", r.getString(3)).put("en", r.getString(4)))
                .put("open", r.getBoolean(5)).put("schema", r.getValue(6)).put("idempotencyKeyRequired", r.getBoolean(7))
                .put("maxBodyBytes", r.getInteger(8)).put("dedupeWindowSeconds", r.getInteger(9))));
        Files.writeString(Path.of(args.get(2)), new JsonObject().put("departments", departments).put("services", services).encodePrettily());
        out.println("exported " + departments.size() + " departments and " + services.size() + " services to " + args.get(2));
        return 0;
      }
      default -> {
        return usage();
      }
    }
  }

  /** JSON, or YAML when the file says so by its name (the same shape either way). */
  private static JsonObject readCatalog(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      var tree = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(file.toFile());
      return new JsonObject(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(tree));
    }
    return new JsonObject(Files.readString(file));
  }

  private int generate(List<String> args) throws IOException {
    int departments = args.size() > 3 ? Integer.parseInt(args.get(3)) : 61;
    int services = args.size() > 4 ? Integer.parseInt(args.get(4)) : 3622;
    long seed = args.size() > 5 ? Long.parseLong(args.get(5)) : 1;
    Files.writeString(Path.of(args.get(2)), CatalogGenerator.generate(departments, services, seed).encode());
    out.println("wrote " + departments + " departments and " + services + " services to " + args.get(2));
    return 0;
  }

  private int usage() {
    out.println(USAGE);
    return 2;
  }

  private static String devPostgres(Path dataDir) {
    try {
      return new JsonObject(Files.readString(dataDir.resolve("dev.json"))).getString("postgres");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String option(List<String> args, String name) {
    int at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : null;
  }

  private static String optionOr(List<String> args, String name, String fallback) {
    String value = option(args, name);
    return value == null ? fallback : value;
  }

  private static String required(List<String> args, String name) {
    String value = option(args, name);
    if (value == null) throw new IllegalArgumentException(name + " is required");
    return value;
  }
}
