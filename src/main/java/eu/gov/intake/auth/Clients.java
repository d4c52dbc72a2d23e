package eu.gov.intake.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** The client records in PostgreSQL. */
public final class Clients {
  private final Pool pool;

  public Clients(Pool pool) { this.pool = pool; }

  public Future<Void> upsertChannel(String clientId, java.util.List<String> channels, int ratePerSecond, int burst) {
    return pool.preparedQuery("""
            INSERT INTO clients (client_id, kind, channels, rate_per_second, burst) VALUES ($1, 'channel', $2, $3, $4)
            ON CONFLICT (client_id) DO UPDATE SET kind = 'channel', channels = excluded.channels, department_code = NULL,
              rate_per_second = excluded.rate_per_second, burst = excluded.burst""")
        .execute(Tuple.tuple().addString(clientId).addArrayOfString(channels.toArray(String[]::new))
            .addInteger(ratePerSecond).addInteger(burst)).mapEmpty();
  }

  public Future<Void> upsertDepartment(String clientId, String departmentCode) {
    return pool.preparedQuery("""
            INSERT INTO clients (client_id, kind, department_code) VALUES ($1, 'department', $2)
            ON CONFLICT (client_id) DO UPDATE SET kind = 'department', channels = '{}', department_code = excluded.department_code""")
        .execute(Tuple.of(clientId, departmentCode)).mapEmpty();
  }
}
