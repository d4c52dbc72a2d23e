package eu.gov.intake.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** The client records in PostgreSQL. */
public final class Clients {
  private final Pool pool;

  public Clients(Pool pool) { this.pool = pool; }

  public Future<Void> upsertChannel(String clientId, java.util.List<String> channels, int ratePerSecond, int burst) {
    return upsertChannel(clientId, channels, java.util.Optional.empty(), ratePerSecond, burst);
  }

  /** {@code services} empty: every service; else only those. */
  public Future<Void> upsertChannel(String clientId, java.util.List<String> channels, java.util.Optional<java.util.List<String>> services,
                                    int ratePerSecond, int burst) {
    return pool.preparedQuery("""
            INSERT INTO clients (client_id, kind, channels, services, rate_per_second, burst) VALUES ($1, 'channel', $2, $3, $4, $5)
            ON CONFLICT (client_id) DO UPDATE SET kind = 'channel', channels = excluded.channels, services = excluded.services,
              department_code = NULL, rate_per_second = excluded.rate_per_second, burst = excluded.burst""")
        .execute(Tuple.tuple().addString(clientId).addArrayOfString(channels.toArray(String[]::new))
            .addArrayOfString(services.map(list -> list.toArray(String[]::new)).orElse(null))
            .addInteger(ratePerSecond).addInteger(burst)).mapEmpty();
  }

  public Future<Void> upsertDepartment(String clientId, String departmentCode) {
    return upsertDepartment(clientId, departmentCode, 100, 200);
  }

  public Future<Void> upsertDepartment(String clientId, String departmentCode, int ratePerSecond, int burst) {
    return pool.preparedQuery("""
            INSERT INTO clients (client_id, kind, department_code, rate_per_second, burst) VALUES ($1, 'department', $2, $3, $4)
            ON CONFLICT (client_id) DO UPDATE SET kind = 'department', channels = '{}', department_code = excluded.department_code,
              rate_per_second = excluded.rate_per_second, burst = excluded.burst""")
        .execute(Tuple.of(clientId, departmentCode, ratePerSecond, burst)).mapEmpty();
  }
}
