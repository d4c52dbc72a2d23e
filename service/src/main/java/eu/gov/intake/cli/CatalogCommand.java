package eu.gov.intake.cli;

import eu.gov.intake.catalog.CatalogGenerator;
import eu.gov.intake.catalog.CatalogImport;
import eu.gov.intake.catalog.PayloadSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "catalog", mixinStandardHelpOptions = true, description = "The service catalog: departments, services, payload schemas.")
final class CatalogCommand {
  private final IntakeCli.Context context;

  CatalogCommand(IntakeCli.Context context) { this.context = context; }

  @Command(name = "load", mixinStandardHelpOptions = true,
      description = "Validates the file, compiles every schema, then upserts it all; running instances pick it up within 30 s. "
          + "Exit 1, loading nothing, if a schema does not compile.")
  int load(@Parameters(paramLabel = "<file.json|.yaml>") Path file) throws IOException {
    long started = System.nanoTime();
    if (!Files.isReadable(file)) throw new UsageProblem("cannot read " + file);
    JsonObject document;
    try {
      document = read(file);
    } catch (IOException | RuntimeException e) {
      throw new UsageProblem(file + " is not a catalog in JSON or YAML: " + Failures.describe(e));
    }
    for (Object s : document.getJsonArray("services", new JsonArray())) {
      var service = (JsonObject) s;
      try {
        PayloadSchema.compile(service.getJsonObject("schema", new JsonObject()));
      } catch (IllegalArgumentException e) {
        context.err().println("intake: service " + service.getString("code") + ": " + e.getMessage() + "; nothing loaded");
        return 1;
      }
    }
    long compiled = System.nanoTime();
    try (var db = Database.open(context.env())) {
      int count = CatalogImport.upsert(db.pool, document).await();
      context.out().printf("loaded %d departments and %d services (schemas compiled in %d ms, written in %d ms); "
              + "running instances pick the change up within 30 s%n", document.getJsonArray("departments", new JsonArray()).size(),
          count, (compiled - started) / 1_000_000, (System.nanoTime() - compiled) / 1_000_000);
      return 0;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true, description = "Writes the catalog as it is in the database to a JSON file.")
  int export(@Parameters(paramLabel = "<file.json>") Path file) throws IOException {
    try (var db = Database.open(context.env())) {
      var departments = new JsonArray();
      db.pool.query("SELECT code, name_zh, name_en FROM departments ORDER BY code").execute().await()
          .forEach(r -> departments.add(new JsonObject().put("code", r.getString(0))
              .put("names", new JsonObject().put("zh-CN", r.getString(1)).put("en", r.getString(2)))));
      var services = new JsonArray();
      db.pool.query("""
          SELECT code, department_code, category, name_zh, name_en, open, payload_schema, idempotency_key_required,
                 max_body_bytes, dedupe_window_seconds FROM services ORDER BY code""").execute().await()
          .forEach(r -> services.add(new JsonObject().put("code", r.getString(0)).put("departmentCode", r.getString(1))
              .put("category", r.getString(2)).put("names", new JsonObject().put("zh-CN", r.getString(3)).put("en", r.getString(4)))
              .put("open", r.getBoolean(5)).put("schema", r.getValue(6)).put("idempotencyKeyRequired", r.getBoolean(7))
              .put("maxBodyBytes", r.getInteger(8)).put("dedupeWindowSeconds", r.getInteger(9))));
      Files.writeString(file, new JsonObject().put("departments", departments).put("services", services).encodePrettily());
      context.out().println("exported " + departments.size() + " departments and " + services.size() + " services to " + file);
      return 0;
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Writes a synthetic catalog of the portal's size (for load tests); needs no database.")
  int generate(@Parameters(index = "0", paramLabel = "<file.json>") Path file,
               @Parameters(index = "1", arity = "0..1", defaultValue = "61", paramLabel = "<departments>") int departments,
               @Parameters(index = "2", arity = "0..1", defaultValue = "3622", paramLabel = "<services>") int services,
               @Parameters(index = "3", arity = "0..1", defaultValue = "1", paramLabel = "<seed>") long seed) throws IOException {
    Files.writeString(file, CatalogGenerator.generate(departments, services, seed).encode());
    context.out().println("wrote " + departments + " departments and " + services + " services to " + file);
    return 0;
  }

  /** JSON, or YAML when the file says so by its name (the same shape either way). */
  private static JsonObject read(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      var tree = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(file.toFile());
      return new JsonObject(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(tree));
    }
    return new JsonObject(Files.readString(file));
  }
}
