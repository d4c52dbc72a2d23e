package eu.gov.intake.cli;

import eu.gov.intake.auth.ApiKeys;
import eu.gov.intake.auth.Clients;
import eu.gov.intake.submission.Submission;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "clients", mixinStandardHelpOptions = true, description = "The API clients: front ends (channels) and departments.")
final class ClientsCommand {
  private final IntakeCli.Context context;

  @Spec CommandSpec spec;

  ClientsCommand(IntakeCli.Context context) { this.context = context; }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Creates (or updates) a client and issues it a new API key, shown this once (stored only as a hash).",
          "A front end: --channels (and optionally --services, --rate, --burst). A department: --department."})
  int create(@Parameters(paramLabel = "<id>", description = "the client's id, e.g. partner-x") String id,
             @Option(names = "--channels", split = ",", paramLabel = "WEB,MOBILE", description = "channels it submits for") List<String> channels,
             @Option(names = "--services", split = ",", paramLabel = "A-0001,B-0002", description = "services it may submit (default: all)") List<String> services,
             @Option(names = "--rate", defaultValue = "100", paramLabel = "<per second>", description = "submissions per second (default ${DEFAULT-VALUE})") int rate,
             @Option(names = "--burst", defaultValue = "200", paramLabel = "<n>", description = "burst above the rate (default ${DEFAULT-VALUE})") int burst,
             @Option(names = "--department", paramLabel = "<CODE>", description = "a department's client: reads and moves its applications") String department) {
    var create = spec.subcommands().get("create");
    // the database would refuse these too, but as a failure (exit 1) with its own words; they are usage errors
    if ((channels == null) == (department == null)) throw new CommandLine.ParameterException(create, "give either --channels or --department");
    if (!id.matches("[a-z0-9][a-z0-9-]{1,62}")) {
      throw new CommandLine.ParameterException(create, "a client id is 2 to 63 lowercase letters, digits and '-': " + id);
    }
    if (channels != null && !Submission.CHANNELS.containsAll(channels)) {
      throw new CommandLine.ParameterException(create, "--channels takes " + String.join(",", new java.util.TreeSet<>(Submission.CHANNELS)));
    }
    if (rate < 1 || burst < 1) throw new CommandLine.ParameterException(create, "--rate and --burst must be at least 1");
    if (department != null && !department.matches("[A-Z][A-Z0-9]{1,15}")) {
      throw new CommandLine.ParameterException(create, "--department takes a department code such as SHTAX: " + department);
    }
    try (var db = Database.open(context.env())) {
      // codes the catalog does not have are usage errors too (the database would refuse a department, not a service)
      if (department != null) requireInCatalog(db, "departments", List.of(department));
      if (services != null) requireInCatalog(db, "services", services);
      Future<Boolean> upsert = department != null ? new Clients(db.pool).upsertDepartment(id, department)
          : new Clients(db.pool).upsertChannel(id, channels, Optional.ofNullable(services), rate, burst);
      if (!upsert.await()) {
        throw new CommandLine.ParameterException(create, "client " + id + " is a " + (department != null ? "channel" : "department")
            + " client: a client keeps its kind (its keys would get the other kind's rights); give the new one an id of its own");
      }
      var key = new ApiKeys(db.pool).issue(id).await();
      context.out().println("client " + id + ": new API key (shown this once, stored only as a hash):");
      context.out().println(key.value());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the clients, their limits and their active key prefixes.")
  int list(@Option(names = "--json", description = "one JSON array") boolean json) {
    try (var db = Database.open(context.env())) {
      var rows = db.pool.query("""
          SELECT c.client_id, c.kind, array_to_string(c.channels, ','), array_to_string(c.services, ','),
                 c.department_code, c.rate_per_second, c.burst, c.enabled,
                 (SELECT string_agg(k.prefix, ',') FROM api_keys k WHERE k.client_id = c.client_id AND k.revoked_at IS NULL)
          FROM clients c ORDER BY c.client_id""").execute().await();
      var all = new JsonArray();
      rows.forEach(r -> all.add(new JsonObject().put("clientId", r.getString(0)).put("kind", r.getString(1))
          .put("channels", split(r.getString(2))).put("services", r.getString(3) == null ? null : split(r.getString(3)))
          .put("department", r.getString(4)).put("ratePerSecond", r.getInteger(5))
          .put("burst", r.getInteger(6)).put("enabled", r.getBoolean(7)).put("keyPrefixes", split(r.getString(8)))));
      if (json) {
        context.out().println(all.encodePrettily());
      } else {
        all.stream().map(JsonObject.class::cast).forEach(c -> context.out().printf(
            "%-24s %-10s channels=%s%s department=%s rate=%d/s burst=%d enabled=%s keys=%s%n", c.getString("clientId"),
            c.getString("kind"), String.join(",", strings(c.getJsonArray("channels"))),
            c.getJsonArray("services") == null ? "" : " services=" + String.join(",", strings(c.getJsonArray("services"))),
            java.util.Objects.requireNonNullElse(c.getString("department"), ""), c.getInteger("ratePerSecond"), c.getInteger("burst"), c.getBoolean("enabled"),
            String.join(",", strings(c.getJsonArray("keyPrefixes")))));
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revokes the active key with this prefix; every instance refuses it within 30 s. Exit 1 if there is none.")
  int revoke(@Parameters(paramLabel = "<key prefix>") String prefix) {
    try (var db = Database.open(context.env())) {
      boolean revoked = new ApiKeys(db.pool).revoke(prefix).await();
      context.out().println(revoked ? "revoked " + prefix + "; every instance refuses it within 30 s" : "no active key with prefix " + prefix);
      return revoked ? 0 : 1;
    }
  }

  private static void requireInCatalog(Database db, String table, List<String> codes) {
    var known = db.pool.preparedQuery("SELECT code FROM " + table + " WHERE code = ANY($1)")
        .execute(io.vertx.sqlclient.Tuple.of((Object) codes.toArray(String[]::new))).await();
    var unknown = new java.util.TreeSet<>(codes);
    known.forEach(row -> unknown.remove(row.getString(0)));
    if (!unknown.isEmpty()) throw new UsageProblem("the catalog has no " + table.replaceAll("s$", "") + " " + String.join(", ", unknown));
  }

  private static JsonArray split(String list) {
    return list == null || list.isEmpty() ? new JsonArray() : new JsonArray(List.of(list.split(",")));
  }

  private static List<String> strings(JsonArray array) { return array.stream().map(String::valueOf).toList(); }
}
