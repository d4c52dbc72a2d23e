package eu.gov.intake.ledger;

import eu.gov.intake.failure.DependencyUnavailable;
import eu.gov.intake.failure.DependencyUnavailable.Dependency;
import eu.gov.intake.failure.IllegalTransition;
import eu.gov.intake.publish.Event;
import eu.gov.intake.publish.Spool;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The ledger in PostgreSQL: one row per application and its status history. Every write is idempotent (on
 * the applicationId, and on the event id for history), so a record consumed twice changes nothing.
 */
public final class LedgerStore {
  /**
   * A whole poll's applications in one call (arrays), and their ACCEPTED entries with them, appended to their
   * departments' hash chains there (migration V6, {@code ledger_record_accepted}).
   */
  private static final String INSERT_SUBMITTED =
      "SELECT ledger_record_accepted($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])";
  /**
   * A status event: recorded once, and only if it is a legal change of an application the ledger knows. The
   * UPDATE decides: it locks the row, and a concurrent change that committed first makes its status condition
   * false when PostgreSQL re-checks it, so of two changes from the same state only one succeeds.
   */
  private static final String APPLY_STATUS = """
      WITH changed AS (
        UPDATE applications SET status = $3, updated_at = $5
        WHERE application_id = $2 AND status = ANY($7::text[])
          AND NOT EXISTS (SELECT 1 FROM application_history WHERE event_id = $1)
        RETURNING application_id, department_code)
      INSERT INTO application_history (event_id, application_id, status, note, at, by_client, department_code)
      SELECT $1::text, application_id, $3::text, $4::text, $5::timestamptz, $6::text, department_code FROM changed
      ON CONFLICT (event_id) DO NOTHING
      RETURNING application_id""";
  private static final String FIND = """
      SELECT a.application_id, a.service_code, a.department_code, a.client_id, a.status, a.received_at, a.updated_at,
             h.status AS h_status, h.at AS h_at, h.note AS h_note
      FROM applications a LEFT JOIN application_history h ON h.application_id = a.application_id
      WHERE a.application_id = $1 ORDER BY h.seq""";

  /** What the ledger records of a submitted event: who may read it, and when it came; not its content. */
  public record Submitted(String applicationId, String serviceCode, String departmentCode, String clientId, Instant receivedAt) {
    private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();
    private static final java.util.Set<String> NEEDED = java.util.Set.of("applicationId", "serviceCode", "departmentCode", "receivedAt", "clientId");

    /**
     * Reads the five top-level fields it needs and skips the rest (applicant, payload) unparsed: the ledger
     * reads every accepted application back, so a full tree of each would be its largest cost. Intake writes
     * them first ({@code Receipt.event}), so reading stops there, before the application's own bytes.
     */
    public static Submitted of(io.vertx.core.buffer.Buffer event) throws java.io.IOException {
      var fields = new java.util.HashMap<String, String>();
      try (var parser = JSON.createParser(event.getBytes())) {
        if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) throw new java.io.IOException("not an object");
        while (!fields.keySet().containsAll(NEEDED) && parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          if (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) fields.put(name, parser.getText());
          else parser.skipChildren();
        }
      }
      return new Submitted(required(fields, "applicationId"), required(fields, "serviceCode"), required(fields, "departmentCode"),
          fields.getOrDefault("clientId", "unknown"), Instant.parse(required(fields, "receivedAt")));
    }

    private static String required(java.util.Map<String, String> fields, String name) throws java.io.IOException {
      String value = fields.get(name);
      if (value == null) throw new java.io.IOException("no " + name);
      return value;
    }
  }

  /** A status-changed event: {@code eventId} is its ce_id. */
  public record StatusChanged(String eventId, String applicationId, Status status, Optional<String> note, Instant at, String by) {
    public JsonObject toJson() {
      return new JsonObject().put("applicationId", applicationId).put("status", status.name()).put("note", note.orElse(null))
          .put("at", at.toString()).put("by", by);
    }

    /** Fails (a RuntimeException) on anything that is not a whole status change: the ledger rejects it. */
    public static StatusChanged of(String eventId, JsonObject event) {
      String applicationId = UUID.fromString(event.getString("applicationId")).toString();
      return new StatusChanged(eventId, applicationId, Status.valueOf(event.getString("status")),
          Optional.ofNullable(event.getString("note")), Instant.parse(event.getString("at")),
          java.util.Objects.requireNonNull(event.getString("by"), "by"));
    }
  }

  private final Pool pool;
  private final Spool spool;

  public LedgerStore(Pool pool, Spool spool) {
    this.pool = pool;
    this.spool = spool;
  }

  public Future<Optional<ApplicationView>> find(String applicationId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(UUID.fromString(applicationId)))
        .recover(e -> Future.failedFuture(new DependencyUnavailable(Dependency.POSTGRES, e)))
        .map(rows -> {
          if (rows.size() == 0) return Optional.empty();
          var history = new ArrayList<ApplicationView.Entry>();
          Row first = null;
          for (Row row : rows) {
            if (first == null) first = row;
            if (row.getString("h_status") != null) {
              history.add(new ApplicationView.Entry(Status.valueOf(row.getString("h_status")),
                  row.getOffsetDateTime("h_at").toInstant(), Optional.ofNullable(row.getString("h_note"))));
            }
          }
          return Optional.of(new ApplicationView(first.getUUID("application_id").toString(), first.getString("service_code"),
              first.getString("department_code"), first.getString("client_id"), Status.valueOf(first.getString("status")),
              first.getOffsetDateTime("received_at").toInstant(), first.getOffsetDateTime("updated_at").toInstant(), List.copyOf(history)));
        });
  }

  /** The applications the ledger consumer read in one poll, in one transaction; the caller commits offsets after it. */
  public Future<Void> record(List<Submitted> submitted) {
    return pool.withTransaction(conn -> insertSubmitted(conn, submitted));
  }

  /**
   * Which of these status events the status API made: those whose history entry, written in the same transaction
   * as the event's outbox row, says the same (application, status, who, when). The relay only publishes committed
   * rows, so an event from the API always finds its entry; any other record on the topic finds none, or another.
   */
  public Future<java.util.Set<String>> madeByStatusApi(List<StatusChanged> changes) {
    if (changes.isEmpty()) return Future.succeededFuture(java.util.Set.of());
    return pool.preparedQuery("SELECT event_id, application_id, status, by_client, at FROM application_history WHERE event_id = ANY($1)")
        .execute(Tuple.of(changes.stream().map(StatusChanged::eventId).toArray(String[]::new)))
        .map(rows -> {
          var entries = new java.util.HashMap<String, Row>();
          for (Row row : rows) entries.put(row.getString("event_id"), row);
          var made = new java.util.HashSet<String>();
          for (var change : changes) {
            Row entry = entries.get(change.eventId());
            if (entry != null && entry.getUUID("application_id").toString().equals(change.applicationId())
                && entry.getString("status").equals(change.status().name()) && entry.getString("by_client").equals(change.by())
                // PostgreSQL keeps microseconds, rounded: the event's time may carry nanoseconds
                && java.time.Duration.between(entry.getOffsetDateTime("at").toInstant(), change.at()).abs().toNanos() < 1000) {
              made.add(change.eventId());
            }
          }
          return made;
        });
  }

  private static Future<Void> insertSubmitted(SqlConnection conn, List<Submitted> submitted) {
    if (submitted.isEmpty()) return Future.succeededFuture();
    return conn.preparedQuery(INSERT_SUBMITTED).execute(Tuple.of(
            submitted.stream().map(s -> UUID.fromString(s.applicationId())).toArray(UUID[]::new),
            submitted.stream().map(Submitted::serviceCode).toArray(String[]::new),
            submitted.stream().map(Submitted::departmentCode).toArray(String[]::new),
            submitted.stream().map(Submitted::clientId).toArray(String[]::new),
            submitted.stream().map(s -> utc(s.receivedAt())).toArray(java.time.OffsetDateTime[]::new)))
        .mapEmpty();
  }

  /** Whether the change was recorded now (false: seen before, or not legal from its state). */
  private static Future<Boolean> apply(SqlConnection conn, StatusChanged c) {
    return conn.preparedQuery(APPLY_STATUS).execute(Tuple.of(c.eventId(), UUID.fromString(c.applicationId()), c.status().name(),
            c.note().orElse(null), utc(c.at()), c.by()).addArrayOfString(c.status().legalFrom().stream().map(Enum::name).toArray(String[]::new)))
        .map(rows -> rows.size() > 0);
  }

  /**
   * The status API's change, in one transaction: the application's row (created from {@code known} if the
   * ledger has not caught up yet), the conditional update, the history entry, and the status event in the
   * spool as an outbox, from which the relay publishes it. Fails with 409 if the change is not legal now.
   */
  public Future<ApplicationView> change(ApplicationView known, StatusChanged change, Event event) {
    return pool.withTransaction(conn -> insertSubmitted(conn, List.of(new Submitted(known.applicationId(), known.serviceCode(),
            known.departmentCode(), known.clientId(), known.receivedAt())))
        .compose(ensured -> apply(conn, change))
        .compose(applied -> applied ? spool.appendIn(conn, event) : recorded(conn, change).compose(already -> already
            // a retry of a change that committed before its answer was lost (same claim, same event id): done
            ? Future.<Void>succeededFuture()
            : currentStatus(conn, change).compose(now -> Future.failedFuture(new IllegalTransition(now, change.status().name()))))))
        .recover(e -> Future.failedFuture(e instanceof eu.gov.intake.failure.IntakeFailure ? e
            : new DependencyUnavailable(Dependency.POSTGRES, e)))
        .compose(committed -> find(change.applicationId()).map(Optional::orElseThrow));
  }

  private static Future<Boolean> recorded(SqlConnection conn, StatusChanged change) {
    return conn.preparedQuery("SELECT 1 FROM application_history WHERE event_id = $1").execute(Tuple.of(change.eventId()))
        .map(rows -> rows.size() > 0);
  }

  private static Future<String> currentStatus(SqlConnection conn, StatusChanged change) {
    return conn.preparedQuery("SELECT status FROM applications WHERE application_id = $1")
        .execute(Tuple.of(UUID.fromString(change.applicationId()))).map(rows -> rows.iterator().next().getString(0));
  }

  private static java.time.OffsetDateTime utc(Instant at) { return at.atOffset(ZoneOffset.UTC); }
}
