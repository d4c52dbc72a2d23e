package eu.gov.intake.cli;

import eu.gov.intake.migration.Migrations;
import eu.gov.intake.migration.SchemaState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = {"Applies the pending schema migrations of this version to INTAKE_PG_URL, in one transaction under an "
        + "advisory lock (several at once migrate once). Refuses a schema that is ahead of this version or whose applied "
        + "files were edited.", "With --check, applies nothing: exit 0 when the schema is current, 1 when not."})
final class MigrateCommand implements Callable<Integer> {
  private final IntakeCli.Context context;

  @Option(names = "--check", description = "only report: current (exit 0) or not (exit 1)")
  boolean check;

  @Option(names = "--json", description = "the report as JSON")
  boolean json;

  MigrateCommand(IntakeCli.Context context) { this.context = context; }

  @Override public Integer call() {
    try (var db = Database.connect(context.env())) {
      SchemaState before = Migrations.state(db.vertx, db.pool).await();
      SchemaState after = check ? before : Migrations.apply(db.vertx, db.pool).await();
      if (json) {
        context.out().println(new JsonObject().put("applied", after.applied()).put("known", after.known())
            .put("current", after.current()).put("pending", new JsonArray(after.pending())).put("unknown", new JsonArray(after.unknown()))
            .put("changed", new JsonArray(after.changed())).put("appliedNow", check ? 0 : before.pending().size()).encode());
      } else if (check) {
        context.out().println(before.problem());
      } else {
        context.out().println(before.pending().isEmpty() ? "schema at version " + after.applied() + ": nothing to apply"
            : "applied " + String.join(", ", before.pending()) + "; schema at version " + after.applied());
      }
      return after.current() ? 0 : 1;
    }
  }
}
