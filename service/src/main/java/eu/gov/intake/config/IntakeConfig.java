package eu.gov.intake.config;

import eu.gov.intake.audit.ReceiptKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of Intake, read once at start from {@code INTAKE_*} environment variables. The README's
 * configuration table lists the same names and defaults; keep the two together.
 */
public record IntakeConfig(
    String httpHost, int httpPort, String managementHost, int managementPort,
    KafkaSettings kafka, RedisSettings redis, PostgresSettings postgres,
    Duration requestDeadline, int maxInFlight, int maxBodyBytes, int maxBatchBytes, int maxBatchItems,
    Duration idempotencyTtl, Duration idempotencyLease,
    Secret applicantKeySecret, String eventSource,
    Duration catalogRefresh, Duration keyCacheTtl, Duration shutdownTimeout, Path dataDir,
    Spooling spooling, Duration recentTtl, Duration shutdownGrace, int eventLoops, String ledgerGroup,
    Optional<Duration> ledgerRetention, Receipts receipts, Operations operations, FrontDoor frontDoor, Roles roles) {

  /**
   * What this process does ({@code INTAKE_ROLES}): answer the API, relay the spool (and the status outbox) to Kafka,
   * record the ledger from Kafka. All three by default; a deployment may run them apart, with at least one relay
   * and one ledger somewhere.
   */
  public record Roles(boolean api, boolean relay, boolean ledger) {
    public static final Roles ALL = new Roles(true, true, true);

    @Override public String toString() {
      return String.join(",", java.util.stream.Stream.of(api ? "api" : "", relay ? "relay" : "", ledger ? "ledger" : "")
          .filter(r -> !r.isEmpty()).toList());
    }
  }

  /**
   * The keys receipts are signed with, and the window whose receipts one signature covers (a Merkle tree's head,
   * contract section 8): shorter than Kafka's acknowledgement, it costs a receipt no time.
   */
  public record Receipts(ReceiptKeys keys, Duration window) {}

  /**
   * What a slow or hostile client can hold at the API port: connections (and how long a new one may take to
   * send its first request's headers), how long a body may take to arrive, and how many body bytes all admitted
   * submissions together may buffer (by default a quarter of the heap), and what share of the in-flight slots and
   * of those bytes one client may hold (percent).
   */
  public record FrontDoor(Duration headerReadTimeout, Duration bodyReadTimeout, int maxConnections, int maxBufferedBodies,
                          int maxStatusInFlight, int clientShare) {
    /** One client's in-flight slots: at least one. */
    public int clientSlots(int maxInFlight) { return Math.max(1, (int) ((long) maxInFlight * clientShare / 100)); }

    /** One client's body bytes: at least a whole batch, else a batch could never be admitted. */
    public long clientBytes(int maxBatchBytes) { return Math.max(maxBatchBytes, (long) maxBufferedBodies * clientShare / 100); }
  }

  /**
   * How the process runs for its operators: whether {@code serve} and the admin commands apply pending migrations
   * themselves ({@code INTAKE_MIGRATE=auto}: dev mode) or refuse a schema that is not theirs (production, where
   * {@code intake migrate} is a step of its own), how often the dependencies are checked, and the log format.
   */
  public record Operations(boolean migrate, Duration dependencyCheck, String logFormat) {}

  /**
   * The outage spool and its relay: whether a publish that fails goes to PostgreSQL, how long a publish may
   * take before it does, the group-commit and relay batch sizes, how often the relay looks, how long
   * published rows are kept, how many appends may wait, and the keys the stored applications are encrypted under.
   */
  public record Spooling(boolean enabled, Duration publishTimeout, int commitBatch, Duration relayInterval, int relayBatch,
                         Duration retention, int maxQueued, SpoolKeys keys) {}

  /** Outside dev mode there is no default secret: applicant keys must not be guessable from the source. */
  private static final Secret DEV_APPLICANT_KEY_SECRET = new Secret("dev-only-applicant-key-secret-do-not-use-in-production");
  /** Dev mode's receipt key, public on purpose: receipts signed with it prove nothing. */
  public static final String DEV_RECEIPT_SIGNING_KEY = "MC4CAQAwBQYDK2VwBCIEIMVDAMPP+li7+v6KaQx2W6O4weNnBOn4aDcolElPnOD1";

  /** What the admin commands need: the database, and whether they may migrate it; checked as {@code serve} checks them. */
  public record AdminSettings(PostgresSettings postgres, boolean migrate) {}

  public static AdminSettings adminFromEnv(Map<String, String> env) {
    var in = new EnvReader(env, "INTAKE_");
    var pg = PostgresSettings.read(in, 2);
    in.require(in.optional("PG_URL").isPresent(), "PG_URL", "required (postgresql://user:password@host:port/db)");
    var settings = new AdminSettings(pg, migrate(in));
    logging(in);
    in.failIfAnyProblem();
    return settings;
  }

  /** INTAKE_MIGRATE: {@code auto} lets serve and the admin commands migrate by themselves (dev mode). */
  private static boolean migrate(EnvReader in) { return in.word("MIGRATE", "off", List.of("auto", "off")).equals("auto"); }

  /**
   * The settings logback.xml reads itself, checked so that a typo fails at start like any other: the format names
   * a file (a wrong one would leave no appender, and no log at all), and a level Logback does not know is DEBUG.
   */
  private static String logging(EnvReader in) {
    in.word("LOG_LEVEL", "INFO", List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF", "trace", "debug", "info", "warn", "error", "off"));
    return in.word("LOG_FORMAT", "json", List.of("json", "text"));
  }

  public static IntakeConfig fromEnv(Map<String, String> env, boolean devMode) {
    var in = new EnvReader(env, "INTAKE_");
    var kafka = KafkaSettings.read(in);
    var redis = RedisSettings.read(in);
    var pg = PostgresSettings.read(in, 8);
    var secret = in.secret("APPLICANT_KEY_SECRET", 32);
    var receiptKeys = in.receiptKeys("RECEIPT_SIGNING_KEY", "RECEIPT_PREVIOUS_KEYS");
    if (!devMode) {
      String hint = "required outside dev mode (start with `dev` to run local servers)";
      in.require(kafka.bootstrap().isPresent(), "KAFKA_BOOTSTRAP", hint);
      in.require(in.optional("REDIS_URL").isPresent(), "REDIS_URL", hint);
      in.require(in.optional("PG_URL").isPresent(), "PG_URL", hint);
      in.require(secret.isPresent(), "APPLICANT_KEY_SECRET", hint);
      // present but unusable is reported by receiptKeys(); blank counts as missing, never as "use the dev key"
      in.require(in.optional("RECEIPT_SIGNING_KEY").isPresent(), "RECEIPT_SIGNING_KEY",
          hint + "; make one with `intake receipt-key generate`");
    }
    var deadline = in.duration("REQUEST_DEADLINE", Duration.ofSeconds(10));
    var lease = in.duration("IDEMPOTENCY_LEASE", Duration.ofSeconds(30));
    // A lease shorter than the deadline would let a retry take over a request that is still running.
    in.require(lease.compareTo(deadline) > 0, "IDEMPOTENCY_LEASE", "must be longer than INTAKE_REQUEST_DEADLINE");
    var catalogRefresh = in.duration("CATALOG_REFRESH", Duration.ofSeconds(10));
    // Past this a publish counts as failed and the application goes to the spool: well inside the deadline,
    // so that the spool commit still fits in it.
    var publishTimeout = in.duration("PUBLISH_TIMEOUT", Duration.ofSeconds(2));
    in.require(publishTimeout.compareTo(deadline) < 0, "PUBLISH_TIMEOUT", "must be shorter than INTAKE_REQUEST_DEADLINE");
    var keyCacheTtl = in.duration("KEY_CACHE_TTL", Duration.ofSeconds(30));
    in.require(keyCacheTtl.toSeconds() <= 30, "KEY_CACHE_TTL", "must be at most 30s (a revoked key must stop working within 30 s)");
    in.require(catalogRefresh.toMillis() >= 100 && catalogRefresh.toSeconds() <= 30, "CATALOG_REFRESH",
        "must be from 100ms to 30s (a catalog change must reach every instance within 30 s)");
    var dependencyCheck = in.duration("DEPENDENCY_CHECK_INTERVAL", Duration.ofSeconds(5));
    int maxBatchBytes = in.bytes("MAX_BATCH_BODY", 1024 * 1024);
    int maxBodyBytes = in.bytes("MAX_BODY", 256 * 1024);
    // an application accepted but too large for Kafka could only ever wait in the spool: refused at the door instead
    in.require(maxBodyBytes <= kafka.largestApplication(), "MAX_BODY", "must be at most the Kafka producer's max.request.size ("
        + kafka.maxRequestSize() + ") less " + KafkaSettings.EVENT_OVERHEAD
        + " bytes of event overhead, " + kafka.largestApplication() + " (raise INTAKE_KAFKA_PRODUCER_MAX_REQUEST_SIZE with it)");
    in.require(dependencyCheck.toMillis() >= 100, "DEPENDENCY_CHECK_INTERVAL", "must be at least 100ms");
    var config = new IntakeConfig(
        in.string("HTTP_HOST", devMode ? "127.0.0.1" : "0.0.0.0"), in.port("HTTP_PORT", 8080),
        // metrics and health are for operators and Prometheus, not for the internet the API faces
        in.string("MANAGEMENT_HOST", "127.0.0.1"), in.port("MANAGEMENT_PORT", 9090),
        kafka, redis, pg,
        deadline, in.integer("MAX_IN_FLIGHT", 1000, 1, 1_000_000), maxBodyBytes, maxBatchBytes,
        in.integer("MAX_BATCH_ITEMS", 100, 1, 1000), in.duration("IDEMPOTENCY_TTL", Duration.ofHours(24)), lease,
        secret.orElse(DEV_APPLICANT_KEY_SECRET), in.string("EVENT_SOURCE", "/intake"),
        catalogRefresh, keyCacheTtl,
        in.duration("SHUTDOWN_TIMEOUT", Duration.ofSeconds(10)), Path.of(in.string("DATA_DIR", ".intake")),
        new Spooling(in.bool("SPOOL_ENABLED", true), publishTimeout, in.integer("SPOOL_BATCH", 500, 1, 10_000),
            in.duration("RELAY_INTERVAL", Duration.ofSeconds(1)), in.integer("RELAY_BATCH", 500, 1, 10_000),
            in.duration("SPOOL_RETENTION", Duration.ofHours(1)), in.integer("SPOOL_QUEUE", 5_000, 1, 1_000_000),
            in.spoolKeys("SPOOL_KEYS", new KeyedHash(secret.orElse(DEV_APPLICANT_KEY_SECRET)))),
        in.duration("RECENT_TTL", Duration.ofMinutes(15)), in.duration("SHUTDOWN_GRACE", Duration.ofSeconds(2)),
        in.integer("EVENT_LOOPS", 1, 1, 256),
        // one group per ledger database: two deployments on one Kafka cluster must each read every record
        in.string("LEDGER_GROUP", "intake-ledger"),
        // a records-retention rule is the portal's to set (law, not engineering): kept for ever unless it is set
        ledgerRetention(in),
        // outside dev mode an empty one was a problem above, and failIfAnyProblem stops here
        new Receipts(devMode ? receiptKeys.orElseGet(() -> ReceiptKeys.parse(DEV_RECEIPT_SIGNING_KEY, List.of())) : receiptKeys.orElse(null),
            receiptWindow(in)),
        new Operations(migrate(in), dependencyCheck, logging(in)),
        frontDoor(in, maxBatchBytes), roles(in));
    in.failIfAnyProblem();
    return config;
  }

  /**
   * At least a day: less would purge what the ledger is still being told about (a redelivered event whose entry is
   * gone would be recorded again), and a typo such as 30s would empty the ledger within the minute.
   */
  private static Optional<Duration> ledgerRetention(EnvReader in) {
    var retention = in.optionalDuration("LEDGER_RETENTION");
    in.require(retention.map(r -> r.compareTo(Duration.ofDays(1)) >= 0).orElse(true), "LEDGER_RETENTION",
        "must be at least 1d (unset: kept for ever)");
    return retention;
  }

  private static Roles roles(EnvReader in) {
    var named = in.list("ROLES");
    if (named.isEmpty()) return Roles.ALL;
    in.require(List.of("api", "relay", "ledger").containsAll(named), "ROLES", "is a comma-separated list of api, relay and ledger");
    return new Roles(named.contains("api"), named.contains("relay"), named.contains("ledger"));
  }

  /** Up to a second: every 202 may wait this long for its signature when Kafka answers faster. */
  private static Duration receiptWindow(EnvReader in) {
    var window = in.duration("RECEIPT_WINDOW", Duration.ofMillis(5));
    in.require(window.compareTo(Duration.ofSeconds(1)) <= 0, "RECEIPT_WINDOW", "must be from 0ms to 1s");
    return window;
  }

  private static FrontDoor frontDoor(EnvReader in, int maxBatchBytes) {
    int quarterOfHeap = (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 4);
    var frontDoor = new FrontDoor(in.duration("HEADER_READ_TIMEOUT", Duration.ofSeconds(10)),
        in.duration("BODY_READ_TIMEOUT", Duration.ofSeconds(30)), in.integer("MAX_CONNECTIONS", 10_000, 1, 1_000_000),
        in.bytes("MAX_BUFFERED_BODIES", quarterOfHeap), in.integer("MAX_STATUS_IN_FLIGHT", 200, 1, 1_000_000),
        in.integer("CLIENT_SHARE", 50, 1, 100));
    // a batch that could never be admitted would be refused for ever with a 503 that says "retry"
    in.require(frontDoor.maxBufferedBodies() >= maxBatchBytes, "MAX_BUFFERED_BODIES",
        "must be at least INTAKE_MAX_BATCH_BODY");
    return frontDoor;
  }

  /** Safe to log: passwords in endpoint URLs are masked, the secret shows as ****. */
  @Override public String toString() {
    return "IntakeConfig[http=" + httpHost + ":" + httpPort + ", management=" + managementHost + ":" + managementPort
        + ", " + kafka + ", " + redis + ", " + postgres + ", deadline=" + requestDeadline
        + ", maxInFlight=" + maxInFlight + ", maxBody=" + maxBodyBytes + ", spool=" + (spooling.enabled() ? "on" : "off")
        + ", roles=" + roles + ", applicantKeySecret=" + applicantKeySecret + ", receiptKeys=" + receipts.keys() + "]";
  }

  public Optional<String> kafkaBootstrap() { return kafka.bootstrap(); }

  public Optional<String> redisUrl() { return redis.url(); }

  public Optional<String> pgUrl() { return postgres.url(); }

  /** The same settings with the endpoints that dev services started filled in. */
  public IntakeConfig withEndpoints(String kafka, String redis, String pg) {
    return new IntakeConfig(httpHost, httpPort, managementHost, managementPort, this.kafka.withBootstrap(kafka), this.redis.withUrls(redis),
        postgres.withUrl(pg), requestDeadline, maxInFlight, maxBodyBytes, maxBatchBytes, maxBatchItems, idempotencyTtl,
        idempotencyLease, applicantKeySecret, eventSource, catalogRefresh, keyCacheTtl, shutdownTimeout, dataDir,
        spooling, recentTtl, shutdownGrace, eventLoops, ledgerGroup, ledgerRetention, receipts, operations, frontDoor, roles);
  }

  /** The same settings listening on other ports (tests use 0: any free port). */
  public IntakeConfig withPorts(int http, int management) {
    return new IntakeConfig(httpHost, http, managementHost, management, kafka, redis, postgres, requestDeadline, maxInFlight, maxBodyBytes, maxBatchBytes, maxBatchItems, idempotencyTtl,
        idempotencyLease, applicantKeySecret, eventSource, catalogRefresh, keyCacheTtl, shutdownTimeout, dataDir,
        spooling, recentTtl, shutdownGrace, eventLoops, ledgerGroup, ledgerRetention, receipts, operations, frontDoor, roles);
  }
}
