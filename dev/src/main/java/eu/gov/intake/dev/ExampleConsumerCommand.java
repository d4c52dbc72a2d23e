package eu.gov.intake.dev;

import eu.gov.intake.cli.IntakeCli;
import eu.gov.intake.example.DepartmentConsumer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "example-consumer", mixinStandardHelpOptions = true,
    description = "The example department consumer against the running dev instance: reads the department's topic and moves each new application to IN_REVIEW.")
final class ExampleConsumerCommand implements Callable<Integer> {
  private final IntakeCli.Context context;

  @Parameters(paramLabel = "<DEPARTMENT>", description = "e.g. SHTAX")
  String department;

  @picocli.CommandLine.Option(names = "--idle", paramLabel = "<seconds>", description = "stop after this long without a new record (default 30)")
  Long idle;

  ExampleConsumerCommand(IntakeCli.Context context) { this.context = context; }

  @Override public Integer call() throws Exception {
    return DepartmentConsumer.main(idle == null ? List.of(department) : List.of(department, "--idle", idle.toString()), context.env());
  }
}
