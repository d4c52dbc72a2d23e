package eu.gov.intake.dev;

import eu.gov.intake.IntakeApp;
import eu.gov.intake.cli.IntakeCli;
import eu.gov.intake.cli.Serve;
import eu.gov.intake.config.IntakeConfig;
import eu.gov.intake.devservices.DevServer;
import eu.gov.intake.devservices.DevServices;
import eu.gov.intake.devservices.OwnerOnly;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

@Command(name = "dev", mixinStandardHelpOptions = true,
    description = {"Dev mode: Intake with a real Kafka broker, Redis and PostgreSQL started here as child processes for "
        + "every endpoint not set (data in INTAKE_DATA_DIR, default .intake), demo catalog and clients, keys in .intake/dev.json."})
final class DevCommand implements Callable<Integer> {
  private final IntakeCli.Context context;

  @picocli.CommandLine.Option(names = "--seed-external-servers",
      description = "also when INTAKE_PG_URL names a PostgreSQL dev mode did not start: fill it with the demo catalog and "
          + "demo clients, and serve it with the published dev keys")
  boolean seedExternalServers;

  DevCommand(IntakeCli.Context context) { this.context = context; }

  @Override public Integer call() {
    var config = IntakeConfig.fromEnv(context.env(), true);
    // Dev mode plants in its PostgreSQL what only a developer's own may hold: demo clients whose keys sit in dev.json
    // with a limit of 1,000,000/s, next to receipts signed with a key published in this repository.
    if (config.pgUrl().isPresent() && !seedExternalServers) {
      context.err().println("intake dev: INTAKE_PG_URL names a PostgreSQL dev mode did not start, and dev mode would seed demo "
          + "clients and the catalog there: unset it to use one dev mode starts, run `intake serve` for a real one, or give "
          + "--seed-external-servers if it is yours to fill");
      return 2;
    }
    return Serve.run(config, context.env(), new Around());
  }

  /** The servers, the demo data and dev.json around one serving Intake. */
  private static final class Around implements Serve.Around {
    private Optional<DevServices> servers = Optional.empty();
    private DevSeed seed;

    @Override public IntakeConfig before(Vertx vertx, IntakeConfig config) {
      seed = new DevSeed(vertx, config.dataDir().resolve("dev.json"));
      var wanted = new DevServices.Wanted(config.kafkaBootstrap().isEmpty(), config.redisUrl().isEmpty(), config.pgUrl().isEmpty());
      var started = DevServices.start(vertx, config.dataDir(), wanted).await();
      servers = Optional.of(started);
      return config.withEndpoints(
          config.kafkaBootstrap().orElseGet(() -> started.kafka().map(DevServer::endpoint).orElseThrow()),
          config.redisUrl().orElseGet(() -> started.redis().map(DevServer::endpoint).orElseThrow()),
          config.pgUrl().orElseGet(() -> started.postgres().map(DevServer::endpoint).orElseThrow()));
    }

    @Override public Future<?> seed(Pool pool) { return seed.apply(pool); }

    /** On the main thread, which may block; the event loops never touch the file. */
    @Override public String ready(IntakeConfig config, IntakeApp app) throws IOException {
      var json = new JsonObject().put("api", "http://127.0.0.1:" + app.apiPort()).put("management", "http://127.0.0.1:" + app.managementPort())
          .put("kafka", config.kafkaBootstrap().orElseThrow()).put("redis", config.redisUrl().orElseThrow())
          .put("postgres", config.pgUrl().orElseThrow()).put("clients", seed.clients());
      OwnerOnly.write(config.dataDir().resolve("dev.json"), json.encodePrettily());
      exitWithLauncher();
      return " (dev mode; keys in " + config.dataDir().resolve("dev.json") + ")";
    }

    @Override public void after() { servers.ifPresent(DevServices::close); }

    /**
     * Dev mode runs under a launcher (./mvnw exec:exec, a shell); if the launcher goes away without stopping us
     * (SIGKILL, a closed terminal), stop too, so that no Intake and no servers are left behind.
     */
    private static void exitWithLauncher() {
      ProcessHandle.current().parent().ifPresent(launcher -> launcher.onExit().thenRun(() -> {
        LoggerFactory.getLogger(DevCommand.class).info("the process that started dev mode has gone; stopping");
        System.exit(0);
      }));
    }
  }
}
