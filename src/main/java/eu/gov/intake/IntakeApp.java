package eu.gov.intake;

import eu.gov.intake.admission.InFlightLimit;
import eu.gov.intake.admission.RateLimiter;
import eu.gov.intake.auth.ApiKeys;
import eu.gov.intake.catalog.Catalog;
import eu.gov.intake.catalog.Department;
import eu.gov.intake.config.IntakeConfig;
import eu.gov.intake.dedupe.IdempotencyStore;
import eu.gov.intake.health.ManagementRouter;
import eu.gov.intake.health.Readiness;
import eu.gov.intake.http.ApiRouter;
import eu.gov.intake.metrics.IntakeMeters;
import eu.gov.intake.migration.Migrations;
import eu.gov.intake.publish.Publisher;
import eu.gov.intake.publish.Topics;
import eu.gov.intake.submission.Submissions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running Intake: its clients of PostgreSQL, Redis and Kafka, and its two HTTP servers. */
public final class IntakeApp {
  private static final Logger LOG = LoggerFactory.getLogger(IntakeApp.class);

  private final Vertx vertx;
  private final IntakeConfig config;
  private final Pool pool;
  private final Redis redis;
  private final KafkaAdminClient admin;
  private final Publisher publisher;
  private final Readiness readiness;
  private InFlightLimit inFlight;
  private long catalogRefresh = -1;
  private HttpServer api;
  private HttpServer management;

  private IntakeApp(Vertx vertx, IntakeConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(config.pgPoolSize()).setName("postgres"))
        .connectingTo(PgConnectOptions.fromUri(config.pgUrl().orElseThrow()).setMetricsName("postgres")).using(vertx).build();
    var redisOptions = new RedisOptions().setConnectionString(config.redisUrl().orElseThrow())
        .setMaxPoolSize(config.redisPoolSize()).setMaxPoolWaiting(1024).setMetricsName("redis").setPoolName("redis");
    redisOptions.getNetClientOptions().setMetricsName("redis");
    this.redis = Redis.createClient(vertx, redisOptions);
    this.admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", config.kafkaBootstrap().orElseThrow(),
        "client.id", "intake-admin"));
    this.publisher = new Publisher(vertx, config);
    this.readiness = new Readiness();
  }

  /**
   * Migrates the schema, runs {@code seed} (dev mode loads its demo data there), loads the catalog, makes sure
   * the topics exist, then listens. Fails, having released what it opened, if any step fails.
   */
  public static Future<IntakeApp> start(Vertx vertx, IntakeConfig config, PrometheusMeterRegistry registry,
                                        Function<Pool, Future<?>> seed) {
    var app = new IntakeApp(vertx, config);
    var catalog = new Catalog(vertx, app.pool);
    var meters = new IntakeMeters(registry);
    var inFlight = new InFlightLimit(config.maxInFlight());
    app.inFlight = inFlight;
    meters.inFlight(inFlight::inFlight);
    return awaitPostgres(vertx, app.pool, 120)
        .compose(up -> Migrations.apply(vertx, app.pool))
        .compose(migrated -> seed.apply(app.pool))
        .compose(seeded -> catalog.load())
        .compose(loaded -> Topics.ensure(app.admin, loaded.departments().stream().map(Department::topic).toList(),
            config.topicPartitions(), config.topicReplication()))
        .compose(topics -> {
          // a catalog change (a service closed, a schema changed) reaches this instance within one period
          app.catalogRefresh = vertx.setPeriodic(config.catalogRefresh().toMillis(), tick -> catalog.refresh()
              .onFailure(e -> LOG.warn("catalog refresh failed, serving version {}: {}", catalog.version(), e.toString())));
          app.readiness
              .probe("postgres", () -> app.pool.query("SELECT 1").execute())
              .probe("redis", () -> app.redis.send(Request.cmd(Command.PING)))
              .probe("kafka", () -> app.admin.describeCluster())
              .condition("catalog", catalog::isLoaded);
          var submissions = new Submissions(new ApiKeys(app.pool, config.keyCacheTtl()), new RateLimiter(app.redis), catalog,
              new IdempotencyStore(app.redis, config.idempotencyLease(), config.idempotencyTtl()), app.publisher,
              config.requestDeadline());
          return vertx.executeBlocking(IntakeApp::openApi).compose(openApi -> ApiRouter.server(vertx, config.httpHost(), config.httpPort())
              .requestHandler(ApiRouter.create(vertx, submissions, catalog, meters,
                  new ApiRouter.Limits(config.maxBodyBytes(), config.maxBatchBytes(), config.maxBatchItems()), inFlight, openApi))
              .listen());
        })
        .compose(api -> {
          app.api = api;
          return vertx.createHttpServer(new HttpServerOptions().setHost(config.httpHost()).setPort(config.managementPort()).setHttp2ClearTextEnabled(false))
              .requestHandler(ManagementRouter.create(vertx, app.readiness, registry))
              .listen();
        })
        .map(management -> {
          app.management = management;
          return app;
        })
        .recover(e -> app.stop().transform(stopped -> Future.failedFuture(e)));
  }

  /** PostgreSQL refuses connections for a moment after it opens its port (recovery); wait for it, bounded. */
  private static Future<Void> awaitPostgres(Vertx vertx, Pool pool, int attemptsLeft) {
    return pool.query("SELECT 1").execute().<Void>mapEmpty()
        .recover(e -> attemptsLeft <= 1 ? Future.failedFuture(e)
            : vertx.timer(250, TimeUnit.MILLISECONDS).compose(t -> awaitPostgres(vertx, pool, attemptsLeft - 1)));
  }

  /** The API's OpenAPI 3.1 description, kept in the repository (src/main/resources/openapi.yaml). */
  private static Buffer openApi() throws java.io.IOException {
    try (var in = IntakeApp.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
      if (in == null) throw new java.io.IOException("openapi.yaml is not on the classpath");
      return Buffer.buffer(in.readAllBytes());
    }
  }

  public int apiPort() { return api.actualPort(); }

  public int managementPort() { return management.actualPort(); }

  /** Submissions this instance holds right now. */
  public int inFlight() { return inFlight.inFlight(); }

  /**
   * Drains: unready at once, no new requests, in-flight ones finish (bounded by the shutdown timeout), the
   * producer flushes, then the clients close. Never fails.
   */
  public Future<Void> stop() {
    readiness.drain();
    if (catalogRefresh >= 0) vertx.cancelTimer(catalogRefresh);
    Duration timeout = config.shutdownTimeout();
    Future<Void> apiStopped = api == null ? Future.succeededFuture() : api.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return apiStopped.transform(r -> publisher.close())
        .transform(r -> Future.join(
            management == null ? Future.succeededFuture() : management.close(),
            redis.close(), pool.close(), admin.close()))
        .transform(r -> {
          if (r.failed()) LOG.warn("shutdown: {}", r.cause().toString());
          return Future.<Void>succeededFuture();
        });
  }
}
