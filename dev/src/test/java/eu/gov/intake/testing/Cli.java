package eu.gov.intake.testing;

import eu.gov.intake.cli.IntakeCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The operator's command line in this JVM, with its answer (stdout), its problems (stderr) and its exit code. */
public record Cli(int exit, String out, String err) {
  public static Cli run(Map<String, String> env, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int exit = IntakeCli.commandLine(new IntakeCli.Context(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
    return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Against the test run's PostgreSQL. */
  public static Cli on(TestIntake intake, String... args) {
    return run(Map.of("INTAKE_PG_URL", intake.pgUrl()), args);
  }
}
