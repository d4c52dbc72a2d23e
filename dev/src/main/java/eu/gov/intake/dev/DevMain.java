package eu.gov.intake.dev;

import eu.gov.intake.cli.IntakeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The developers' entry point ({@code ./mvnw compile exec:exec}): {@code dev} (the default) runs Intake with
 * real servers started as child processes and demo data; {@code example-consumer <DEPT>} runs the example
 * department consumer; every other command is the operator's {@code intake} command line, pointed at the
 * running dev instance's PostgreSQL. Dev mode migrates by itself and logs plain text.
 */
public final class DevMain {
  private DevMain() {}

  public static void main(String[] args) {
    String[] command = args.length == 0 ? new String[] {"dev"} : args;
    // before the first logger: the product logs JSON, a developer's terminal wants text
    if (System.getenv("INTAKE_LOG_FORMAT") == null && System.getProperty("INTAKE_LOG_FORMAT") == null) {
      System.setProperty("INTAKE_LOG_FORMAT", "text");
    }
    IntakeCli.prepareLogs(command);
    var env = devEnv(System.getenv(), !command[0].equals("dev"));
    var context = new IntakeCli.Context(env, System.out, System.err);
    var cli = IntakeCli.commandLine(context);
    cli.addSubcommand("dev", new DevCommand(context));
    cli.addSubcommand("example-consumer", new ExampleConsumerCommand(context));
    cli.addSubcommand("estate", new EstateCommand(context));
    IntakeCli.exitUnlessServing(cli.execute(command));
  }

  /**
   * The environment dev mode runs with: {@code INTAKE_MIGRATE=auto} and text logs unless set; for the admin
   * commands also the dev instance's PostgreSQL (from {@code .intake/dev.json}) unless {@code INTAKE_PG_URL} is set.
   */
  static Map<String, String> devEnv(Map<String, String> env, boolean adminCommand) {
    var all = new HashMap<>(env);
    all.putIfAbsent("INTAKE_MIGRATE", "auto");
    all.putIfAbsent("INTAKE_LOG_FORMAT", "text");
    if (adminCommand && !all.containsKey("INTAKE_PG_URL")) {
      Path devJson = Path.of(all.getOrDefault("INTAKE_DATA_DIR", ".intake"), "dev.json");
      try {
        all.put("INTAKE_PG_URL", new io.vertx.core.json.JsonObject(Files.readString(devJson)).getString("postgres"));
      } catch (java.io.IOException | RuntimeException e) {
        // no dev instance has run here: the command says that INTAKE_PG_URL is missing
      }
    }
    return all;
  }
}
