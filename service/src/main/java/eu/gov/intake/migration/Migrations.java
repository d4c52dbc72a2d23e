package eu.gov.intake.migration;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned SQL files under {@code db/migration} (listed in order in {@code migrations.txt}), recorded in
 * {@code schema_migrations} with the SHA-256 of each file as applied. {@link #apply} runs the pending ones in one
 * transaction under an advisory lock, so instances starting together migrate once and a failed file leaves no
 * trace; {@link #state} only reads, so that {@code serve} can refuse a schema that is behind, ahead of, or not
 * the one this code was written for.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final long LOCK_ID = 0x1A7A4E_0001L;

  record Migration(int version, String name, String sql, String checksum) {}

  private Migrations() {}

  /** Applies what is pending; refuses, applying nothing, when the schema is ahead of this code or an applied file changed. */
  public static Future<SchemaState> apply(Vertx vertx, Pool pool) {
    return vertx.executeBlocking(Migrations::readAll)
        .compose(all -> pool.withTransaction(conn -> conn.query("SET LOCAL client_min_messages = warning").execute()
            .compose(quiet -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")").execute())
            .compose(locked -> conn.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                  version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())""")
                .execute())
            // files applied before checksums were kept are taken as they are now: the first migrate records them
            .compose(created -> conn.query("ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text").execute())
            .compose(altered -> read(conn, all))
            .compose(state -> {
              if (!state.unknown().isEmpty() || !state.changed().isEmpty()) {
                return Future.failedFuture(new SchemaMismatch(state.problem()));
              }
              return applyPending(conn, all, state).compose(applied -> read(conn, all));
            })));
  }

  /** What the database holds against what this code knows; reads only. */
  public static Future<SchemaState> state(Vertx vertx, Pool pool) {
    return vertx.executeBlocking(Migrations::readAll).compose(all -> read(pool, all));
  }

  /**
   * {@code serve} and the admin commands: with {@code migrate} (INTAKE_MIGRATE=auto) the pending files are applied,
   * else a schema that is not exactly this code's fails with one line naming both versions.
   */
  public static Future<SchemaState> ensure(Vertx vertx, Pool pool, boolean migrate) {
    return (migrate ? apply(vertx, pool) : state(vertx, pool))
        .compose(state -> state.current() ? Future.succeededFuture(state) : Future.failedFuture(new SchemaMismatch(state.problem())));
  }

  private static Future<SchemaState> read(SqlClient sql, List<Migration> all) {
    int known = all.stream().mapToInt(Migration::version).max().orElse(0);
    var versions = all.stream().map(Migration::version).toArray(Integer[]::new);
    var names = all.stream().map(Migration::name).toArray(String[]::new);
    var checksums = all.stream().map(Migration::checksum).toArray(String[]::new);
    return sql.query("SELECT to_regclass('schema_migrations') IS NOT NULL").execute()
        .compose(exists -> !exists.iterator().next().getBoolean(0)
            ? Future.succeededFuture(new SchemaState(0, known, all.stream().map(Migration::name).toList(), List.of(), List.of()))
            : sql.preparedQuery("""
                SELECT k.name, m.version IS NOT NULL, coalesce(to_jsonb(m) ->> 'checksum', k.checksum) = k.checksum, NULL::integer
                FROM unnest($1::integer[], $2::text[], $3::text[]) AS k(version, name, checksum)
                LEFT JOIN schema_migrations m ON m.version = k.version
                UNION ALL
                SELECT m.name, true, true, m.version FROM schema_migrations m WHERE m.version <> ALL($1::integer[])
                UNION ALL
                SELECT NULL, false, true, coalesce(max(version), 0) FROM schema_migrations""")
                .execute(Tuple.tuple().addValue(versions).addValue(names).addValue(checksums))
                .map(rows -> {
                  var pending = new ArrayList<String>();
                  var unknown = new ArrayList<String>();
                  var changed = new ArrayList<String>();
                  int applied = 0;
                  for (var row : rows) {
                    if (row.getString(0) == null) applied = row.getInteger(3);
                    else if (row.getInteger(3) != null) unknown.add(row.getString(0));
                    else if (!row.getBoolean(1)) pending.add(row.getString(0));
                    else if (!row.getBoolean(2)) changed.add(row.getString(0));
                  }
                  return new SchemaState(applied, known, pending, unknown, changed);
                }));
  }

  private static Future<Integer> applyPending(SqlConnection conn, List<Migration> all, SchemaState state) {
    Future<Integer> chain = conn.preparedQuery("""
            UPDATE schema_migrations m SET checksum = k.checksum
            FROM unnest($1::integer[], $2::text[]) AS k(version, checksum) WHERE m.version = k.version AND m.checksum IS NULL""")
        .execute(Tuple.tuple().addValue(all.stream().map(Migration::version).toArray(Integer[]::new))
            .addValue(all.stream().map(Migration::checksum).toArray(String[]::new)))
        .map(0);
    for (Migration m : all) {
      if (!state.pending().contains(m.name())) continue;
      chain = chain.compose(count -> conn.query(m.sql()).execute()
          .compose(ran -> conn.preparedQuery("""
                  INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)""")
              .execute(Tuple.of(m.version(), m.name(), m.checksum())))
          .map(recorded -> {
            LOG.info("applied migration {}", m.name());
            return count + 1;
          }));
    }
    return chain;
  }

  /**
   * The files of {@code migrations.txt}, each checked against the SHA-256 listed beside it: the list pins each
   * file as released, so that a database that took a file before checksums were recorded is given the released
   * one's, and an edit of a released file fails every start rather than pass unseen.
   */
  static List<Migration> readAll() throws IOException {
    var migrations = new ArrayList<Migration>();
    var lines = read("db/migration/migrations.txt").lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    for (String line : lines) {
      String[] entry = line.split("\\s+");
      String name = entry[0];
      int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
      String sql = read("db/migration/" + name);
      String actual = sha256(sql);
      if (entry.length != 2 || !entry[1].equals(actual)) {
        throw new SchemaMismatch(name + " does not match its SHA-256 in migrations.txt (" + actual
            + "): a released migration was edited; put the change in a new one");
      }
      migrations.add(new Migration(version, name, sql, actual));
    }
    return migrations;
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IOException("missing resource " + resource);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
