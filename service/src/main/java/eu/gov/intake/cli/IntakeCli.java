package eu.gov.intake.cli;

import eu.gov.intake.config.BuildInfo;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/intake}: one command line for operators. Exit codes: 0 ok, 1 a failure found (a broken chain, a
 * schema that is not current, a server that refused), 2 a usage error (one line, never a stack trace).
 */
@Command(name = "intake", mixinStandardHelpOptions = true, versionProvider = IntakeCli.Version.class,
    description = "The front door of the portal: serves the API, and the operator's commands around it.",
    subcommands = {ServeCommand.class, MigrateCommand.class, ClientsCommand.class, CatalogCommand.class,
        LedgerCommand.class, ReceiptKeyCommand.class},
    footerHeading = "%nSettings:%n", footer = {"  Every setting is an INTAKE_* environment variable; see config/intake.env.example."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "1:a failure found (broken chain, schema not current, a server refused)", "2:usage error (a bad argument or setting)"})
public final class IntakeCli {
  /** What {@code serve} returns once Intake is up: the process lives on in its own threads, so main must not exit. */
  public static final int SERVING = Integer.MIN_VALUE;

  /** What every command reads and writes: the environment (INTAKE_*), the answer (stdout) and problems (stderr). */
  public record Context(Map<String, String> env, PrintStream out, PrintStream err) {}

  public static void main(String[] args) {
    prepareLogs(args);
    exitUnlessServing(commandLine(new Context(System.getenv(), System.out, System.err)).execute(args));
  }

  /** A command's end: the log lines still queued are written first (the appender is asynchronous). */
  public static void exitUnlessServing(int code) {
    if (code == SERVING) return;
    Logs.flush();
    System.exit(code);
  }

  /** Before the first logger exists: where this command's log lines go (see {@link Logs}). */
  public static void prepareLogs(String[] args) { Logs.forCommand(args); }

  /** The whole command tree; dev mode adds its own commands to it. */
  public static CommandLine commandLine(Context context) {
    var cli = new CommandLine(new IntakeCli(), new Factory(context));
    cli.setOut(new java.io.PrintWriter(context.out(), true));
    cli.setErr(new java.io.PrintWriter(context.err(), true));
    // a usage error is one line that says what and where to look, then exit 2
    cli.setParameterExceptionHandler((e, args) -> {
      context.err().println(e.getCommandLine().getCommandName().equals("intake") ? "intake: " + e.getMessage()
          : "intake " + e.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^intake ", "") + ": " + e.getMessage()
              + " (see --help)");
      return CommandLine.ExitCode.USAGE;
    });
    // an expected failure (a server down, a schema behind) is one line too; the cause's class helps for the rest
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      context.err().println("intake: " + Failures.describe(e));
      return Failures.isUsage(e) ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
    });
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override public String[] getVersion() {
      var build = BuildInfo.read();
      return new String[] {"intake " + build.version() + " (commit " + build.commit() + ")",
          "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
  }

  /** Commands get the context through their constructor, so that tests and dev mode can give their own. */
  private record Factory(Context context) implements CommandLine.IFactory {
    @Override public <K> K create(Class<K> type) throws Exception {
      try {
        return type.getDeclaredConstructor(Context.class).newInstance(context);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(type);
      }
    }
  }
}
