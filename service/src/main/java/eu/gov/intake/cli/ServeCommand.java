package eu.gov.intake.cli;

import eu.gov.intake.config.IntakeConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serves the API and the management port until SIGTERM, then drains.",
        "Every endpoint and secret must be set (INTAKE_KAFKA_BOOTSTRAP, INTAKE_REDIS_URL, INTAKE_PG_URL, "
            + "INTAKE_APPLICANT_KEY_SECRET, INTAKE_RECEIPT_SIGNING_KEY). The schema must be current (`intake migrate`), "
            + "unless INTAKE_MIGRATE=auto."})
final class ServeCommand implements Callable<Integer> {
  private final IntakeCli.Context context;

  ServeCommand(IntakeCli.Context context) { this.context = context; }

  @Override public Integer call() {
    return Serve.run(IntakeConfig.fromEnv(context.env(), false), context.env(), new Serve.Around() {});
  }
}
