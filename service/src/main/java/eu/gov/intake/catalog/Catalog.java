package eu.gov.intake.catalog;

import eu.gov.intake.failure.NotFound;
import eu.gov.intake.failure.UnknownService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The catalog as the hot path sees it: an immutable snapshot in memory, read without a database round trip
 * and replaced whole when it is loaded again.
 */
public final class Catalog {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Catalog.class);
  private record Snapshot(long version, Map<String, Department> departments, Map<String, ServiceEntry> services, int unusable) {}

  private final Vertx vertx;
  private final Pool pool;
  private final java.util.function.Function<Collection<Department>, Future<Void>> beforeServing;
  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private final int largestApplication;

  /**
   * {@code beforeServing} runs on each new version's departments before it is served (their topics are made
   * there); the version is served once it completes, whether it succeeded or not. {@code largestApplication}: what
   * Kafka's producer takes (see KafkaSettings); a service allowing more is served with that as its limit, so that
   * nothing is accepted that Kafka would refuse.
   */
  public Catalog(Vertx vertx, Pool pool, java.util.function.Function<Collection<Department>, Future<Void>> beforeServing,
                 int largestApplication) {
    this.largestApplication = largestApplication;
    this.vertx = vertx;
    this.pool = pool;
    this.beforeServing = beforeServing;
  }

  /** Loads the catalog if its version moved since the last load (or nothing is loaded yet). */
  public Future<Catalog> refresh() {
    return pool.query("SELECT version FROM catalog_version WHERE id = 1").execute()
        .map(rows -> rows.iterator().next().getLong(0))
        .compose(version -> current.get() != null && current.get().version() == version ? Future.succeededFuture(this)
            : load(version));
  }

  public Future<Catalog> load() {
    return pool.query("SELECT version FROM catalog_version WHERE id = 1").execute()
        .compose(rows -> load(rows.iterator().next().getLong(0)));
  }

  /**
   * Reads the catalog as of {@code version} (read first: a change during the read bumps it again and the next
   * refresh catches it), compiles the schemas, and swaps the snapshot in whole.
   */
  private Future<Catalog> load(long version) {
    return pool.query("SELECT code, name_zh, name_en FROM departments ORDER BY code").execute()
        .compose(deps -> pool.query("""
                SELECT code, department_code, category, name_zh, name_en, open, payload_schema,
                       idempotency_key_required, max_body_bytes, dedupe_window_seconds
                FROM services ORDER BY code""").execute()
            // Compiling thousands of schemas is CPU work: a worker does it, and the snapshot swaps in whole.
            .compose(services -> vertx.executeBlocking(() -> {
              long started = System.nanoTime();
              var departments = new LinkedHashMap<String, Department>();
              deps.forEach(row -> departments.put(row.getString(0), new Department(row.getString(0), row.getString(1), row.getString(2))));
              var entries = new LinkedHashMap<String, ServiceEntry>();
              services.forEach(row -> entries.put(row.getString(0), toService(row, largestApplication)));
              int unusable = (int) entries.values().stream().filter(ServiceEntry::unusable).count();
              int capped = 0;
              for (Row row : services) if (row.getInteger(8) > largestApplication) capped++;
              if (capped > 0) {
                LOG.warn("catalog version {}: {} services allow larger applications than Kafka's producer takes; they are served "
                    + "with a limit of {} bytes (raise INTAKE_KAFKA_PRODUCER_MAX_REQUEST_SIZE, or lower their maxBodyBytes)",
                    version, capped, largestApplication);
              }
              LOG.info("catalog version {} loaded: {} departments, {} services ({} unusable), schemas compiled in {} ms", version,
                  departments.size(), entries.size(), unusable, (System.nanoTime() - started) / 1_000_000);
              return new Snapshot(version, java.util.Collections.unmodifiableMap(departments),
                  java.util.Collections.unmodifiableMap(entries), unusable);
            }))
            .compose(snapshot -> beforeServing.apply(snapshot.departments().values()).transform(ready -> {
              current.set(snapshot);
              return Future.succeededFuture(this);
            })));
  }

  /**
   * A service whose schema does not compile (written by another version, or straight into the database) is served
   * closed: one bad row must not stop every start and every refresh of the whole catalog. Its code is logged (once
   * a load) and counted in {@code intake_catalog_services_unusable}; {@code catalog load} refuses such a schema.
   */
  private static ServiceEntry toService(Row row, int largestApplication) {
    var schema = (JsonObject) row.getValue(6);
    Optional<PayloadSchema> compiled;
    try {
      compiled = Optional.of(PayloadSchema.compile(schema));
    } catch (IllegalArgumentException e) {
      LOG.warn("catalog service {} is unusable and served closed until its schema is fixed: {}", row.getString(0), e.getMessage());
      compiled = Optional.empty();
    }
    return new ServiceEntry(row.getString(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
        row.getBoolean(5) && compiled.isPresent(), schema, row.getBoolean(7), Math.min(row.getInteger(8), largestApplication), row.getInteger(9),
        compiled.orElse(PayloadSchema.NONE), compiled.isEmpty());
  }

  /** Services of the loaded catalog whose schema does not compile (served closed). */
  public int unusable() {
    var snapshot = current.get();
    return snapshot == null ? 0 : snapshot.unusable();
  }

  public boolean isLoaded() { return current.get() != null; }

  /** The catalog version this instance serves; ETags of catalog reads are made from it. */
  public long version() { return snapshot().version(); }

  /** The open service a submission names; a closed or unknown one is the client's error. */
  public ServiceEntry openService(String code) {
    var service = snapshot().services().get(code);
    if (service == null) throw new UnknownService("no service has code " + code, "不存在编码为 " + code + " 的事项");
    if (!service.open()) throw new UnknownService("service " + code + " is closed", "事项 " + code + " 已关闭");
    return service;
  }

  public Department department(String code) {
    return Optional.ofNullable(snapshot().departments().get(code))
        .orElseThrow(() -> new IllegalStateException("catalog has a service of missing department " + code));
  }

  public ServiceEntry service(String code) {
    return Optional.ofNullable(snapshot().services().get(code))
        .orElseThrow(() -> new NotFound("no service has code " + code, "不存在编码为 " + code + " 的事项"));
  }

  public Collection<Department> departments() { return snapshot().departments().values(); }

  public Collection<ServiceEntry> services() { return snapshot().services().values(); }

  private Snapshot snapshot() {
    var snapshot = current.get();
    if (snapshot == null) throw new IllegalStateException("catalog not loaded");
    return snapshot;
  }
}
