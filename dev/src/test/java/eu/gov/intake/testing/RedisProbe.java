package eu.gov.intake.testing;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.HashMap;
import java.util.Map;

/** Reads Redis directly, to check what Intake stored there. */
public final class RedisProbe implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Redis redis;

  public RedisProbe(String url) { this.redis = Redis.createClient(vertx, url); }

  public Map<String, String> hgetall(String key) {
    var reply = redis.send(Request.cmd(Command.HGETALL).arg(key)).await();
    var out = new HashMap<String, String>();
    for (String field : reply.getKeys()) out.put(field, reply.get(field).toString());
    return out;
  }

  public void hset(String key, String... fieldsAndValues) {
    var request = Request.cmd(Command.HSET).arg(key);
    for (String arg : fieldsAndValues) request.arg(arg);
    redis.send(request).await();
  }

  /** Redis's own clock, which idempotency leases are measured on. */
  public long timeMillis() {
    var reply = redis.send(Request.cmd(Command.TIME)).await();
    return reply.get(0).toLong() * 1000 + reply.get(1).toLong() / 1000;
  }

  public void del(String key) { redis.send(Request.cmd(Command.DEL).arg(key)).await(); }

  public long ttl(String key) { return redis.send(Request.cmd(Command.TTL).arg(key)).await().toLong(); }

  public void set(String key, String value) { redis.send(Request.cmd(Command.SET).arg(key).arg(value)).await(); }

  public String get(String key) {
    var reply = redis.send(Request.cmd(Command.GET).arg(key)).await();
    return reply == null ? null : reply.toString();
  }

  @Override public void close() {
    redis.close();
    vertx.close().await();
  }
}
