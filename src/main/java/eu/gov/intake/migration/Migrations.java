package eu.gov.intake.migration;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL files under {@code db/migration} (listed in order in {@code migrations.txt})
 * that have not run yet, and records each in {@code schema_migrations}. All of it runs in one transaction
 * under an advisory lock, so instances starting together migrate once and a failed file leaves no trace.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final long LOCK_ID = 0x1A7A4E_0001L;

  record Migration(int version, String name, String sql) {}

  private Migrations() {}

  /** Returns how many migrations this call applied. */
  public static Future<Integer> apply(Vertx vertx, Pool pool) {
    return vertx.executeBlocking(Migrations::readAll)
        .compose(all -> pool.withTransaction(conn -> conn.query("SET LOCAL client_min_messages = warning").execute()
            .compose(quiet -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")").execute())
            .compose(locked -> conn.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                  version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())""")
                .execute())
            .compose(created -> conn.query("SELECT version FROM schema_migrations").execute())
            .map(rows -> rows.stream().map(row -> row.getInteger(0)).collect(Collectors.toSet()))
            .compose(done -> applyMissing(conn, all, done))));
  }

  private static Future<Integer> applyMissing(SqlConnection conn, List<Migration> all, Set<Integer> done) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (Migration m : all) {
      if (done.contains(m.version())) continue;
      chain = chain.compose(count -> conn.query(m.sql()).execute()
          .compose(ran -> conn.preparedQuery("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
              .execute(Tuple.of(m.version(), m.name())))
          .map(recorded -> {
            LOG.info("applied migration {}", m.name());
            return count + 1;
          }));
    }
    return chain;
  }

  private static List<Migration> readAll() throws IOException {
    var migrations = new ArrayList<Migration>();
    for (String name : read("db/migration/migrations.txt").lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
      int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
      migrations.add(new Migration(version, name, read("db/migration/" + name)));
    }
    return migrations;
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IOException("missing resource " + resource);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

}
