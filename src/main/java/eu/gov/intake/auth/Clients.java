package eu.gov.intake.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** The client records in PostgreSQL. */
public final class Clients {
  private final Pool pool;

  public Clients(Pool pool) { this.pool = pool; }

  public Future<Void> upsertChannel(String clientId, java.util.List<String> channels) {
    return pool.preparedQuery("""
            INSERT INTO clients (client_id, kind, channels) VALUES ($1, 'channel', $2)
            ON CONFLICT (client_id) DO UPDATE SET kind = 'channel', channels = excluded.channels, department_code = NULL""")
        .execute(Tuple.tuple().addString(clientId).addArrayOfString(channels.toArray(String[]::new))).mapEmpty();
  }

  public Future<Void> upsertDepartment(String clientId, String departmentCode) {
    return pool.preparedQuery("""
            INSERT INTO clients (client_id, kind, department_code) VALUES ($1, 'department', $2)
            ON CONFLICT (client_id) DO UPDATE SET kind = 'department', channels = '{}', department_code = excluded.department_code""")
        .execute(Tuple.of(clientId, departmentCode)).mapEmpty();
  }
}
