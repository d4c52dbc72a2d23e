package eu.gov.intake.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis keeps the idempotency records it was given. A record Redis drops (evicted under memory pressure,
 * or lost in a restart without an append-only file) lets a client's retry through under a second application id,
 * which no department can tell from a new application. Checked at start, said loudly, counted in
 * {@code intake_redis_may_lose_records}: 1 at risk, 0 checked and safe, -1 could not be checked (a managed Redis
 * may refuse CONFIG; its operator must then vouch for appendonly and noeviction). In a cluster, the node the
 * command reaches answers for all.
 */
public final class RedisDurability {
  private static final Logger LOG = LoggerFactory.getLogger(RedisDurability.class);
  private volatile int mayLoseRecords = -1;

  public int mayLoseRecords() { return mayLoseRecords; }

  /** Never fails: what it could not learn it says. */
  public Future<Void> check(Redis redis) {
    return Future.all(config(redis, "appendonly"), config(redis, "maxmemory-policy"))
        .onSuccess(all -> {
          String appendOnly = all.resultAt(0);
          String policy = all.resultAt(1);
          List<String> risks = new ArrayList<>();
          if (!"yes".equalsIgnoreCase(appendOnly)) {
            risks.add("appendonly is " + appendOnly + " (a restart loses the records written since the last snapshot)");
          }
          if (!"noeviction".equalsIgnoreCase(policy)) {
            risks.add("maxmemory-policy is " + policy + " (records are evicted when memory runs short; want noeviction)");
          }
          mayLoseRecords = risks.isEmpty() ? 0 : 1;
          if (!risks.isEmpty()) {
            LOG.warn("Redis may lose idempotency records, and a retry would then be accepted under a new application id: {}",
                String.join("; ", risks));
          }
        })
        .onFailure(e -> {
          mayLoseRecords = -1;
          LOG.warn("Redis persistence and eviction policy could not be checked ({}): make sure of appendonly yes and "
              + "maxmemory-policy noeviction", e.getMessage());
        })
        .<Void>mapEmpty().otherwiseEmpty();
  }

  private static Future<String> config(Redis redis, String name) {
    return redis.send(Request.cmd(Command.CONFIG).arg("GET").arg(name)).map(reply -> {
      // RESP3 answers a map {name: value}, RESP2 a list [name, value]
      if (reply.isMap()) return reply.containsKey(name) ? reply.get(name).toString() : "unknown";
      return reply.size() == 2 ? reply.get(1).toString() : "unknown";
    });
  }
}
