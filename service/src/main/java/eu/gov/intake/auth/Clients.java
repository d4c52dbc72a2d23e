package eu.gov.intake.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * The client records in PostgreSQL. A client keeps its kind: its keys were handed out for what a channel client (or
 * a department's) may do, and a change of kind would give every one of them the other kind's rights. The upserts
 * write only a client of their own kind, and answer {@code false} when the id belongs to the other kind.
 */
public final class Clients {
  private final Pool pool;

  public Clients(Pool pool) { this.pool = pool; }

  public Future<Boolean> upsertChannel(String clientId, java.util.List<String> channels, int ratePerSecond, int burst) {
    return upsertChannel(clientId, channels, java.util.Optional.empty(), ratePerSecond, burst);
  }

  /** {@code services} empty: every service; else only those. */
  public Future<Boolean> upsertChannel(String clientId, java.util.List<String> channels, java.util.Optional<java.util.List<String>> services,
                                       int ratePerSecond, int burst) {
    return pool.preparedQuery("""
            INSERT INTO clients (client_id, kind, channels, services, rate_per_second, burst) VALUES ($1, 'channel', $2, $3, $4, $5)
            ON CONFLICT (client_id) DO UPDATE SET channels = excluded.channels, services = excluded.services,
              rate_per_second = excluded.rate_per_second, burst = excluded.burst
            WHERE clients.kind = 'channel'""")
        .execute(Tuple.tuple().addString(clientId).addArrayOfString(channels.toArray(String[]::new))
            .addArrayOfString(services.map(list -> list.toArray(String[]::new)).orElse(null))
            .addInteger(ratePerSecond).addInteger(burst)).map(done -> done.rowCount() == 1);
  }

  public Future<Boolean> upsertDepartment(String clientId, String departmentCode) {
    return upsertDepartment(clientId, departmentCode, 100, 200);
  }

  public Future<Boolean> upsertDepartment(String clientId, String departmentCode, int ratePerSecond, int burst) {
    return pool.preparedQuery("""
            INSERT INTO clients (client_id, kind, department_code, rate_per_second, burst) VALUES ($1, 'department', $2, $3, $4)
            ON CONFLICT (client_id) DO UPDATE SET department_code = excluded.department_code,
              rate_per_second = excluded.rate_per_second, burst = excluded.burst
            WHERE clients.kind = 'department'""")
        .execute(Tuple.of(clientId, departmentCode, ratePerSecond, burst)).map(done -> done.rowCount() == 1);
  }
}
