package eu.gov.intake;

import eu.gov.intake.admission.InFlightLimit;
import eu.gov.intake.admission.RateLimiter;
import eu.gov.intake.audit.ReceiptSigner;
import eu.gov.intake.auth.ApiKeys;
import eu.gov.intake.catalog.Catalog;
import eu.gov.intake.catalog.Department;
import eu.gov.intake.config.BuildInfo;
import eu.gov.intake.config.IntakeConfig;
import eu.gov.intake.dedupe.Fingerprints;
import eu.gov.intake.dedupe.IdempotencyStore;
import eu.gov.intake.health.DependencyWatch;
import eu.gov.intake.health.ManagementRouter;
import eu.gov.intake.health.Readiness;
import eu.gov.intake.admission.BodyBudget;
import eu.gov.intake.admission.ClientShares;
import eu.gov.intake.http.ApiRouter;
import eu.gov.intake.http.ConnectionGuard;
import eu.gov.intake.http.ApiServers;
import eu.gov.intake.http.Draining;
import eu.gov.intake.http.ServerErrorLog;
import eu.gov.intake.ledger.LedgerConsumer;
import eu.gov.intake.ledger.LedgerRetention;
import eu.gov.intake.ledger.LedgerStore;
import eu.gov.intake.ledger.RecentlyAccepted;
import eu.gov.intake.ledger.Statuses;
import eu.gov.intake.metrics.IntakeMeters;
import eu.gov.intake.migration.Migrations;
import eu.gov.intake.publish.Delivery;
import eu.gov.intake.publish.DepartmentTopics;
import eu.gov.intake.publish.KnownTopics;
import eu.gov.intake.publish.Outage;
import eu.gov.intake.publish.Publisher;
import eu.gov.intake.publish.Relay;
import eu.gov.intake.publish.Spool;
import eu.gov.intake.publish.SpooledApplicants;
import eu.gov.intake.publish.SpoolCipher;
import eu.gov.intake.publish.TopicDurability;
import eu.gov.intake.publish.Topics;
import eu.gov.intake.kafka.KafkaClients;
import eu.gov.intake.postgres.PostgresClients;
import eu.gov.intake.redis.ClientSlots;
import eu.gov.intake.redis.RedisClients;
import eu.gov.intake.redis.RedisDurability;
import eu.gov.intake.submission.Submissions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
  /** The spool's appends and the relay: connections that no flood of API reads can take. */
  private final Pool spoolPool;
  private final Redis redis;
  private final KafkaClients kafka;
  private final KafkaAdminClient admin;
  private final KnownTopics knownTopics;
  private final Publisher publisher;
  private final IntakeMeters meters;
  private final AutoCloseable producerMeters;
  private final Readiness readiness;
  private final DependencyWatch dependencies;
  private final Pool healthPool;
  private final Redis healthRedis;
  private final Draining draining = new Draining();
  private Relay relay;
  private LedgerConsumer ledger;
  private LedgerRetention ledgerRetention;
  private Delivery delivery;
  private InFlightLimit inFlight;
  private long catalogRefresh = -1;
  private long withoutRelay = -1;
  private ApiServers api;
  private ServerErrorLog serverErrors;
  private ReceiptSigner receiptSigner;
  private HttpServer management;

  private IntakeApp(Vertx vertx, IntakeConfig config, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.pool = PostgresClients.servicePool(vertx, config.postgres(), config.postgres().poolSize(), "postgres");
    this.spoolPool = PostgresClients.servicePool(vertx, config.postgres(), config.postgres().pools().spoolSize(), "postgres-spool");
    this.redis = RedisClients.client(vertx, config.redis(), config.redis().connections(), 1024, "redis");
    this.kafka = new KafkaClients(vertx, config.kafka());
    this.admin = kafka.admin(Map.of("client.id", "intake-admin"));
    this.knownTopics = new KnownTopics(admin, config.spooling().publishTimeout());
    this.meters = new IntakeMeters(registry);
    this.publisher = new Publisher(kafka, config, meters);
    this.producerMeters = publisher.instrument();
    this.readiness = new Readiness();
    // the checks have connections of their own: a pool saturated by a burst must not read as an outage
    this.healthPool = PostgresClients.pool(vertx, config.postgres(), 1, "postgres-health");
    this.healthRedis = RedisClients.client(vertx, config.redis(), 1, 4, "redis-health");
    this.dependencies = new DependencyWatch(vertx, config.operations().dependencyCheck())
        .probe("postgres", () -> healthPool.query("SELECT 1").execute())
        .probe("redis", () -> healthRedis.send(Request.cmd(Command.PING)))
        .probe("kafka", () -> admin.describeCluster());
  }

  /**
   * Opens the management port and starts watching the dependencies at once; then checks the schema (applies
   * pending migrations only with {@code INTAKE_MIGRATE=auto}), runs {@code seed} (dev mode loads its demo data
   * there), loads the catalog, makes sure the topics exist, and listens. Fails, having released what it opened,
   * if any step fails.
   */
  public static Future<IntakeApp> start(Vertx vertx, IntakeConfig config, PrometheusMeterRegistry registry,
                                        Function<Pool, Future<?>> seed) {
    var app = new IntakeApp(vertx, config, registry);
    // a catalog version is served only once its departments' topics exist (or could not be made)
    var departmentTopics = new DepartmentTopics(app.admin, app.knownTopics, config.kafka().topics());
    var topicDurability = new TopicDurability(app.admin, config.kafka().maxRequestSize());
    var redisDurability = new RedisDurability();
    var catalog = new Catalog(vertx, app.pool, departmentTopics::ensure, config.kafka().largestApplication());
    var meters = app.meters;
    var inFlight = new InFlightLimit(config.maxInFlight());
    app.inFlight = inFlight;
    meters.inFlight(inFlight::inFlight);
    var bodies = new BodyBudget(config.frontDoor().maxBufferedBodies());
    var statusInFlight = new InFlightLimit(config.frontDoor().maxStatusInFlight());
    var shares = new ClientShares(config.frontDoor().clientSlots(config.maxInFlight()), config.frontDoor().clientBytes(config.maxBatchBytes()));
    var connections = new ConnectionGuard(vertx, config.frontDoor().maxConnections(), config.frontDoor().headerReadTimeout());
    meters.frontDoor(connections::open, connections::refused, bodies::reserved);
    var build = BuildInfo.read();
    meters.buildInfo(build.version(), build.commit());
    meters.ready(app.readiness::isReady);
    app.dependencies.names().forEach(name -> meters.dependency(name, () -> app.dependencies.up(name)));
    meters.topicsWeak(() -> topicDurability.weak().size());
    meters.redisMayLoseRecords(redisDurability::mayLoseRecords);
    app.dependencies.start();
    app.readiness.condition("catalog", catalog::isLoaded);
    return vertx.createHttpServer(new HttpServerOptions().setHost(config.managementHost()).setPort(config.managementPort()).setHttp2ClearTextEnabled(false))
        .requestHandler(ManagementRouter.create(vertx, app.readiness, app.dependencies, registry))
        .listen()
        .compose(management -> {
          app.management = management;
          return using("PostgreSQL", config.postgres().endpoint().map(Object::toString).orElse("?"), awaitUp(vertx, () -> app.pool.query("SELECT 1").execute(), 120));
        })
        .compose(up -> using("Redis", config.redis().toString(), awaitUp(vertx, () -> app.redis.send(Request.cmd(Command.PING)), 40)))
        .compose(up -> migrate(vertx, config))
        .compose(migrated -> seed.apply(app.pool))
        .compose(seeded -> catalog.load())
        .compose(loaded -> using("Kafka", config.kafka().bootstrap().orElse("?"), app.admin.describeCluster()
            .timeout(30, TimeUnit.SECONDS)
            .compose(cluster -> departmentTopics.required(loaded.departments()))
            .compose(topics -> checkDurability(topicDurability, topicsOf(catalog), config.kafka().topics().refuseWeak()))
            .compose(checked -> app.knownTopics.refresh())))
        .compose(checked -> redisDurability.check(app.redis))
        .compose(listed -> app.publisher.warmUp(
            java.util.stream.Stream.concat(topicsOf(catalog).stream(), java.util.stream.Stream.of(Topics.STATUS, Topics.DEAD_LETTER)).toList()))
        .compose(warm -> {
          // a catalog change (a service closed, a schema changed) reaches this instance within one period; topics
          // that could not be made are tried again; and a topic that went missing (deleted) is known within one period
          app.catalogRefresh = vertx.setPeriodic(config.catalogRefresh().toMillis(), tick -> catalog.refresh()
              .onFailure(e -> LOG.warn("catalog refresh failed, serving version {}: {}", catalog.version(), e.toString()))
              .transform(refreshed -> departmentTopics.ensure(catalog.departments()))
              .compose(ensured -> app.knownTopics.refresh()));
          meters.catalog(() -> catalog.isLoaded() ? catalog.version() : -1, () -> catalog.isLoaded() ? catalog.services().size() : 0,
              catalog::unusable);
          meters.topicsMissing(() -> catalog.isLoaded()
              ? (int) catalog.departments().stream().filter(d -> app.knownTopics.missing(d.topic())).count() : 0);
          var apiKeys = new ApiKeys(app.pool, config.keyCacheTtl());
          var slots = new ClientSlots(config.redis().clientShards());
          var rateLimiter = new RateLimiter(app.redis, slots);
          var dedupe = new IdempotencyStore(app.redis, slots, new Fingerprints(config.applicantKeySecret()), config.idempotencyLease(),
              config.idempotencyTtl());
          var spooling = config.spooling();
          var spool = new Spool(vertx, app.spoolPool, app.pool, spooling.commitBatch(), spooling.maxQueued(),
              new SpoolCipher(spooling.keys()));
          var outage = new Outage();
          app.delivery = new Delivery(app.publisher, spooling.enabled() ? Optional.of(spool) : Optional.empty(),
              new SpooledApplicants(app.redis), outage,
              app.knownTopics, spooling.publishTimeout(), meters::spooled);
          // the relay runs even with the spool off: the status API's events reach Kafka through it (an outbox)
          app.relay = new Relay(vertx, app.spoolPool, spool, app.publisher, outage, app.knownTopics, new Relay.Settings(spooling.relayInterval(),
              spooling.relayBatch(), spooling.publishTimeout(), spooling.retention()), meters.relayed());
          meters.spool(spool::pendingRows, spool::oldestPendingSeconds, spool::queued);
          var ledgerStore = new LedgerStore(app.pool, spool);
          var roles = config.roles();
          if (roles.ledger()) {
            app.ledger = new LedgerConsumer(vertx, app.kafka, config.ledgerGroup(), ledgerStore, app.publisher, meters);
            meters.ledgerLag(app.ledger::lag);
          }
          var recent = new RecentlyAccepted(app.redis, config.recentTtl());
          app.receiptSigner = new ReceiptSigner(config.receipts().keys(), config.receipts().window());
          var submissions = new Submissions(apiKeys, rateLimiter, catalog, dedupe, app.publisher, app.delivery, recent,
              app.receiptSigner, config.requestDeadline());
          var statuses = new Statuses(apiKeys, rateLimiter, ledgerStore, spool, recent, dedupe, app.relay::wake,
              config.requestDeadline());
          if (roles.relay()) {
            app.relay.start();
          } else {
            app.withoutRelay = vertx.setPeriodic(spooling.relayInterval().toMillis(), tick -> withoutRelay(app, spool, outage));
          }
          if (roles.ledger()) config.ledgerRetention().ifPresent(retention -> {
            app.ledgerRetention = new LedgerRetention(vertx, app.pool, retention);
            app.ledgerRetention.start();
          });
          var serverErrors = new ServerErrorLog(vertx, 10_000);
          app.serverErrors = serverErrors;
          if (!roles.api()) return (roles.ledger() ? app.ledger.start() : Future.<Void>succeededFuture()).map((ApiServers) null);
          return (roles.ledger() ? app.ledger.start() : Future.<Void>succeededFuture())
              .compose(ledgerUp -> vertx.executeBlocking(IntakeApp::openApi))
              .compose(openApi -> new ApiServers().start(vertx, config.httpHost(), config.httpPort(), config.eventLoops(), connections,
                  () -> ApiRouter.create(vertx, apiKeys, submissions, statuses, catalog, meters,
                      new ApiRouter.Limits(config.maxBodyBytes(), config.maxBatchBytes(), config.maxBatchItems(),
                          config.frontDoor().bodyReadTimeout()),
                      inFlight, bodies, shares, statusInFlight, app.draining, openApi, config.receipts().keys(), serverErrors)));
        })
        .map(api -> {
          app.api = api;
          app.readiness.started();
          return app;
        })
        .recover(e -> app.stop().transform(stopped -> Future.failedFuture(e)));
  }

  /**
   * An instance without the relay role does two things its relay would: it counts the spool (so that its
   * submissions stop asking PostgreSQL whether their applicant waits there once the rows are gone), and during an
   * outage it asks Kafka's cluster, not live traffic, whether Kafka is back.
   */
  private static void withoutRelay(IntakeApp app, Spool spool, Outage outage) {
    spool.count().onFailure(e -> LOG.debug("spool count: {}", e.toString()));
    if (outage.active()) {
      app.admin.describeCluster().timeout(2, TimeUnit.SECONDS)
          .onSuccess(cluster -> outage.end())
          .onFailure(e -> LOG.debug("Kafka still unreachable: {}", e.toString()));
    }
  }

  /** On a connection of its own, without the service's statement timeout: a migration may take longer than a request. */
  private static Future<?> migrate(Vertx vertx, IntakeConfig config) {
    var migrations = PostgresClients.pool(vertx, config.postgres(), 1, "postgres-migrate");
    return Migrations.ensure(vertx, migrations, config.operations().migrate()).eventually(migrations::close);
  }

  /**
   * Vert.x with Micrometer metrics into {@code registry}, and with OpenTelemetry spans when {@code tracing} is
   * given (HTTP server, Kafka producer, Redis and PostgreSQL clients; the W3C traceparent goes on each Kafka
   * record). One per process.
   */
  public static Vertx newVertx(PrometheusMeterRegistry registry, Optional<? extends io.opentelemetry.api.OpenTelemetry> tracing) {
    var metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        // Route, not path: a path label would make every applicationId a time series. The pool labels keep
        // the PostgreSQL, Redis and worker pools apart, the local address the API and management servers.
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME,
            Label.CLIENT_NAME, Label.NAMESPACE, Label.LOCAL));
    IntakeMeters.configure(registry);
    var builder = Vertx.builder().with(new VertxOptions().setMetricsOptions(metrics)).withMetrics(new MicrometerMetricsFactory(registry));
    tracing.ifPresent(otel -> builder.withTracer(new io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory(otel)));
    return builder.build();
  }

  /**
   * Describes the topics Intake writes to; a weak one is a warning and a metric, or, with
   * {@code INTAKE_KAFKA_WEAK_TOPICS=refuse}, stops the start. A cluster that cannot tell (no DescribeConfigs
   * right) is a warning: the operator vouches for the topics then.
   */
  private static Future<Void> checkDurability(TopicDurability durability, java.util.Set<String> departmentTopics, boolean refuse) {
    var all = new java.util.TreeSet<>(departmentTopics);
    all.addAll(Topics.SHARED);
    return durability.check(all).transform(r -> {
      if (r.failed()) {
        LOG.warn("topic durability could not be checked: {}", r.cause().toString());
        return refuse ? Future.failedFuture(r.cause()) : Future.succeededFuture();
      }
      if (refuse && !r.result().isEmpty()) {
        return Future.failedFuture(new IllegalStateException("the topics " + r.result() + " cannot keep acks=all durable "
            + "(want replication factor >= 3 and min.insync.replicas 2) and INTAKE_KAFKA_WEAK_TOPICS=refuse"));
      }
      return Future.succeededFuture();
    });
  }

  private static java.util.Set<String> topicsOf(Catalog catalog) {
    return catalog.departments().stream().map(Department::topic).collect(java.util.stream.Collectors.toSet());
  }

  private static <T> Future<T> using(String dependency, String where, Future<T> step) {
    return step.recover(e -> Future.failedFuture(new StartFailure(dependency, where, e)));
  }

  /**
   * PostgreSQL refuses connections for a moment after it opens its port (recovery), Redis answers LOADING while it
   * reads its append-only file, and a deploy may start Intake beside either; try again every 250 ms, bounded. A
   * refused password or certificate is no such moment: it fails at once.
   */
  private static Future<Void> awaitUp(Vertx vertx, java.util.function.Supplier<Future<?>> check, int attemptsLeft) {
    return check.get().<Void>mapEmpty()
        .recover(e -> attemptsLeft <= 1 || !notUpYet(e) ? Future.failedFuture(e)
            : vertx.timer(250, TimeUnit.MILLISECONDS).compose(t -> awaitUp(vertx, check, attemptsLeft - 1)));
  }

  /** Not listening yet, or starting up (PostgreSQL's 57P03, Redis's LOADING): worth waiting for. */
  private static boolean notUpYet(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.net.ConnectException) return true;
      if (c instanceof io.vertx.pgclient.PgException pg && "57P03".equals(pg.getSqlState())) return true;
      if (String.valueOf(c.getMessage()).startsWith("LOADING")) return true;
    }
    return false;
  }

  /** The API's OpenAPI 3.1 description, kept in the repository (src/main/resources/openapi.yaml). */
  private static Buffer openApi() throws java.io.IOException {
    try (var in = IntakeApp.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
      if (in == null) throw new java.io.IOException("openapi.yaml is not on the classpath");
      return Buffer.buffer(in.readAllBytes());
    }
  }

  /** -1 without the api role. */
  public int apiPort() { return api == null ? -1 : api.actualPort(); }

  public int managementPort() { return management.actualPort(); }

  /** Submissions this instance holds right now. */
  public int inFlight() { return inFlight.inFlight(); }

  /**
   * Drains (contract section 6, architecture "Failure semantics"): unready at once; for a grace period the API
   * still serves, so load balancers see the readiness change; then new requests get 503 with
   * {@code Connection: close}, in-flight ones finish, the producer flushes and the last spool commit lands, the
   * relay and the ledger finish their current batch, and the clients close. All of it is bounded by the
   * shutdown timeout; it never fails.
   */
  public Future<Void> stop() {
    readiness.drain();
    if (catalogRefresh >= 0) vertx.cancelTimer(catalogRefresh);
    if (withoutRelay >= 0) vertx.cancelTimer(withoutRelay);
    long deadline = System.currentTimeMillis() + config.shutdownTimeout().toMillis();
    Future<Void> apiStopped = api == null ? Future.succeededFuture()
        : vertx.timer(config.shutdownGrace().toMillis())
            .compose(graceOver -> {
              draining.refuseNewRequests();
              return inFlightDone(deadline);
            })
            .compose(idle -> api.shutdown(Math.max(1, deadline - System.currentTimeMillis())));
    return apiStopped
        .transform(r -> bounded(delivery == null ? Future.succeededFuture() : delivery.flush(), deadline))
        .transform(r -> bounded(Future.join(relay == null ? Future.succeededFuture() : relay.stop(),
            ledger == null ? Future.succeededFuture() : ledger.stop(),
            ledgerRetention == null ? Future.succeededFuture() : ledgerRetention.stop()), deadline))
        .transform(r -> bounded(publisher.close(Duration.ofMillis(Math.max(1000, deadline - System.currentTimeMillis()))), deadline))
        .transform(r -> {
          dependencies.stop();
          if (serverErrors != null) serverErrors.close();
          if (receiptSigner != null) receiptSigner.close();
          try {
            producerMeters.close();
          } catch (Exception e) {
            LOG.debug("producer meters: {}", e.toString());
          }
          return Future.<Void>succeededFuture();
        })
        .transform(r -> Future.join(java.util.List.of(
            management == null ? Future.succeededFuture() : management.close(),
            redis.close(), pool.close(), spoolPool.close(), admin.close(), healthRedis.close(), healthPool.close())))
        .transform(r -> {
          if (r.failed()) LOG.warn("shutdown: {}", r.cause().toString());
          return Future.<Void>succeededFuture();
        });
  }

  /** What is left of the shutdown timeout, and at least a second for each step, so that one hung step cannot stall it. */
  private Future<?> bounded(Future<?> step, long deadline) {
    return step.timeout(Math.max(1000, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
  }

  /**
   * Completes when no submission is in flight and no request has come for a moment (a client that was just
   * answered 503 may already be sending on a connection it opened before), or at the deadline.
   */
  private Future<Void> inFlightDone(long deadline) {
    boolean done = inFlight.inFlight() == 0 && draining.quietFor(Duration.ofMillis(200));
    if (done || System.currentTimeMillis() >= deadline) return Future.succeededFuture();
    return vertx.timer(20).compose(t -> inFlightDone(deadline));
  }
}
