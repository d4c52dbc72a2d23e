package eu.gov.intake.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Every domain meter name of Intake, in one place. Tags come from small closed sets only (departments,
 * outcomes, dependencies): never a client id, service code, key or anything a citizen sent.
 */
public final class IntakeMeters {
  public static final String SUBMISSIONS = "intake.submissions";
  public static final String SUBMISSION_DURATION = "intake.submission.duration";
  public static final String PUBLISH_DURATION = "intake.kafka.publish.duration";
  public static final String IN_FLIGHT = "intake.in.flight";
  public static final String SPOOL_QUEUED = "intake.spool.queued";
  public static final String CONNECTIONS = "intake.connections";
  public static final String CONNECTIONS_REFUSED = "intake.connections.refused";
  public static final String BODY_BYTES_RESERVED = "intake.body.bytes.reserved";
  public static final String SPOOL_DEPTH = "intake.spool.depth";
  public static final String SPOOL_OLDEST = "intake.spool.oldest.age";
  public static final String SPOOLED = "intake.spool.appended";
  public static final String RELAYED = "intake.relay.published";
  public static final String DEAD_LETTERED = "intake.dead.lettered";
  public static final String LEDGER_REJECTED = "intake.ledger.rejected";
  public static final String TOPICS_MISSING = "intake.department.topics.missing";
  public static final String TOPICS_WEAK = "intake.kafka.topics.weak";
  public static final String REDIS_MAY_LOSE = "intake.redis.may.lose.records";
  public static final String LEDGER_LAG = "intake.ledger.lag";
  public static final String CATALOG_VERSION = "intake.catalog.version";
  public static final String CATALOG_SERVICES = "intake.catalog.services";
  public static final String CATALOG_UNUSABLE = "intake.catalog.services.unusable";
  public static final String READY = "intake.ready";
  public static final String DEPENDENCY_UP = "intake.dependency.up";
  public static final String BUILD_INFO = "intake.build.info";

  /**
   * Latency buckets around the 10 s deadline and the SLO (p99 of a submission under 250 ms): Prometheus can
   * compute ratios under each bound and quantiles from them. Applied to Intake's timers and to the Vert.x
   * meters of the HTTP server and the Redis and PostgreSQL clients.
   */
  private static final Duration[] SLO_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final MeterRegistry registry;
  private final Map<String, Counter> submissions = new ConcurrentHashMap<>();
  private final Map<String, Timer> durations = new ConcurrentHashMap<>();
  private final Counter spooled;
  private final Timer publishOk;
  private final Timer publishFailed;

  public IntakeMeters(MeterRegistry registry) {
    this.registry = registry;
    this.spooled = Counter.builder(SPOOLED).description("Events committed to the PostgreSQL spool instead of Kafka").register(registry);
    // present from the start, at zero: the alerts compare increases, and a series that appears at 1 has none
    deadLettered("department-topic-missing", 0);   // Event.TOPIC_MISSING
    deadLettered("refused-by-kafka", 0);           // Event.REFUSED_BY_KAFKA
    ledgerRejected("malformed", 0);
    ledgerRejected("not-from-intake", 0);
    this.publishOk = publishTimer("ok");
    this.publishFailed = publishTimer("error");
  }

  /** Histogram buckets for the latency meters; call on a registry before Vert.x registers its meters. */
  public static void configure(MeterRegistry registry) {
    registry.config().meterFilter(new MeterFilter() {
      @Override public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        String name = id.getName();
        boolean latency = name.equals(SUBMISSION_DURATION) || name.equals(PUBLISH_DURATION)
            || name.equals("vertx.http.server.response.time") || name.equals("vertx.redis.processing.time")
            || name.equals("vertx.sql.processing.time");
        if (!latency) return config;
        return DistributionStatisticConfig.builder()
            .serviceLevelObjectives(java.util.Arrays.stream(SLO_BUCKETS).mapToDouble(d -> d.toNanos()).toArray())
            .build().merge(config);
      }
    });
  }

  private Timer publishTimer(String result) {
    return Timer.builder(PUBLISH_DURATION).description("Time from send to Kafka's acks=all acknowledgement, or failure")
        .tag("result", result).register(registry);
  }

  /** Submissions this instance holds now; the admission bound is on the same number. */
  public void inFlight(IntSupplier now) {
    Gauge.builder(IN_FLIGHT, now::getAsInt).description("Submissions in flight on this instance").register(registry);
  }

  /** The API port's open connections, those refused past the bound, and the body bytes admitted submissions reserve. */
  public void frontDoor(IntSupplier open, java.util.function.LongSupplier refused, java.util.function.LongSupplier bodyBytes) {
    Gauge.builder(CONNECTIONS, open::getAsInt).description("Open connections of the API port").register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(CONNECTIONS_REFUSED, refused, java.util.function.LongSupplier::getAsLong)
        .description("Connections of the API port closed at once: INTAKE_MAX_CONNECTIONS were open").register(registry);
    Gauge.builder(BODY_BYTES_RESERVED, bodyBytes::getAsLong).baseUnit("bytes")
        .description("Body bytes reserved by admitted submissions (bounded by INTAKE_MAX_BUFFERED_BODIES)").register(registry);
  }

  /**
   * Counted once per application, when its answer is decided. {@code outcome} is accepted, replayed, or the
   * problem kind that rejected it (overloaded for one shed by admission); {@code department} is "none" when the
   * application never got that far.
   */
  public void submission(String outcome, String department) {
    // looked up here rather than registered per call: building a meter id costs more than counting
    submissions.computeIfAbsent(outcome + '\0' + department, k -> Counter.builder(SUBMISSIONS)
        .description("Applications submitted, by how they ended").tag("outcome", outcome).tag("department", department)
        .register(registry)).increment();
  }

  /** A submission request from arrival to answer; {@code result}: accepted, rejected (4xx) or failed (5xx). */
  public void submissionDuration(String result, long nanos) {
    durations.computeIfAbsent(result, r -> Timer.builder(SUBMISSION_DURATION).description("Submission requests from arrival to answer")
        .tag("result", r).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void published(boolean ok, long nanos) { (ok ? publishOk : publishFailed).record(nanos, TimeUnit.NANOSECONDS); }

  public void spooled() { spooled.increment(); }

  /**
   * An accepted application published to the dead-letter topic; {@code reason} department-topic-missing, or
   * refused-by-kafka (the relay's bounded attempts ran out on a record Kafka will not take).
   */
  public void deadLettered(String reason) { deadLettered(reason, 1); }

  private void deadLettered(String reason, int count) {
    Counter.builder(DEAD_LETTERED).description("Accepted applications published to the dead-letter topic, by why")
        .tag("reason", reason).register(registry).increment(count);
  }

  /**
   * A record on {@code intake.status} that the ledger did not take: {@code reason} malformed (not readable as a
   * status change), or not-from-intake (no change of Intake's status API made it); it went to the dead-letter topic.
   */
  public void ledgerRejected(String reason) { ledgerRejected(reason, 1); }

  private void ledgerRejected(String reason, int count) {
    Counter.builder(LEDGER_REJECTED).description("Records on intake.status the ledger rejected to the dead-letter topic")
        .tag("reason", reason).register(registry).increment(count);
  }

  /**
   * The spool as the relay last counted it: rows waiting for Kafka, and how long the oldest has waited; and the
   * appends of this instance waiting for a commit.
   */
  public void spool(LongSupplier depth, DoubleSupplier oldestSeconds, IntSupplier queued) {
    Gauge.builder(SPOOL_QUEUED, queued::getAsInt)
        .description("Appends waiting for a spool commit on this instance (bounded by INTAKE_SPOOL_QUEUE)").register(registry);
    Gauge.builder(SPOOL_DEPTH, depth::getAsLong)
        .description("Events in the PostgreSQL spool not yet published to Kafka").register(registry);
    Gauge.builder(SPOOL_OLDEST, oldestSeconds::getAsDouble).baseUnit("seconds")
        .description("Age of the oldest unpublished spool row").register(registry);
  }

  /** Counts what this instance's relay got acknowledged by Kafka. */
  public LongConsumer relayed() {
    var counter = Counter.builder(RELAYED).description("Spooled events the relay published to Kafka").register(registry);
    return n -> counter.increment(n);
  }

  /** Records on the ledger consumer's partitions not yet written to PostgreSQL. */
  public void ledgerLag(LongSupplier lag) {
    Gauge.builder(LEDGER_LAG, lag::getAsLong).description("Records the ledger has not yet written to PostgreSQL").register(registry);
  }

  public void catalog(LongSupplier version, IntSupplier services, IntSupplier unusable) {
    Gauge.builder(CATALOG_VERSION, version::getAsLong).description("Version of the catalog this instance serves").register(registry);
    Gauge.builder(CATALOG_SERVICES, services::getAsInt).description("Services in the catalog this instance serves").register(registry);
    Gauge.builder(CATALOG_UNUSABLE, unusable::getAsInt)
        .description("Catalog services whose schema does not compile, served closed").register(registry);
  }

  /** Departments of the catalog whose topic the last listing of the cluster did not have: their applications are dead-lettered. */
  public void topicsMissing(IntSupplier missing) {
    Gauge.builder(TOPICS_MISSING, missing::getAsInt)
        .description("Catalog departments whose Kafka topic is missing (their applications go to intake.dead-letter)").register(registry);
  }

  public void topicsWeak(IntSupplier weak) {
    Gauge.builder(TOPICS_WEAK, weak::getAsInt)
        .description("Topics Intake writes to whose replication factor or min.insync.replicas cannot keep acks=all durable")
        .register(registry);
  }

  public void redisMayLoseRecords(IntSupplier atRisk) {
    Gauge.builder(REDIS_MAY_LOSE, atRisk::getAsInt)
        .description("1: Redis may drop idempotency records (no appendonly, or an eviction policy); 0: checked; -1: not checkable")
        .register(registry);
  }

  /** Ready (1) or not (0): started, catalog loaded, not draining. */
  public void ready(java.util.function.BooleanSupplier ready) {
    Gauge.builder(READY, () -> ready.getAsBoolean() ? 1 : 0).description("1 when this instance reports ready").register(registry);
  }

  /** The background check's last round trip to a dependency: 1 up, 0 down (and 0 before the first check ends). */
  public void dependency(String name, java.util.function.BooleanSupplier up) {
    Gauge.builder(DEPENDENCY_UP, () -> up.getAsBoolean() ? 1 : 0)
        .description("1 when the last background round trip to the dependency succeeded").tag("dependency", name).register(registry);
  }

  /** intake_build_info{version,commit} 1: which build runs where. */
  public void buildInfo(String version, String commit) {
    Gauge.builder(BUILD_INFO, () -> 1).description("The version and commit of this build (always 1)")
        .tags("version", version, "commit", commit).register(registry);
  }

  /** The Kafka producer's own metrics (buffer, errors, retries, batch sizes) as kafka_producer_*. */
  public AutoCloseable producer(org.apache.kafka.clients.producer.Producer<?, ?> producer) {
    var metrics = new KafkaClientMetrics(producer);
    metrics.bindTo(registry);
    return metrics;  // it refreshes on a thread of its own: close it with the producer
  }
}
