package eu.gov.intake.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A Lua script run with EVALSHA: atomic in Redis, one round trip. Loaded on first use, and again
 * when Redis answers NOSCRIPT (it restarted and forgot it). A leaf that dedupe and admission both use.
 */
public final class LuaScript {
  private final String source;
  private volatile String sha;

  public LuaScript(String source) { this.source = source; }

  public Future<Response> run(Redis redis, String key, Object... args) {
    return run(redis, java.util.List.of(key), args);
  }

  /** With several keys; in Redis Cluster they must share a hash slot (the same hash tag). */
  public Future<Response> run(Redis redis, java.util.List<String> keys, Object... args) {
    String loaded = sha;
    if (loaded == null) {
      return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source)).compose(reply -> {
        sha = reply.toString();
        return run(redis, keys, args);
      });
    }
    var request = Request.cmd(Command.EVALSHA).arg(loaded).arg(keys.size());
    for (String key : keys) request.arg(key);
    for (Object arg : args) request.arg(String.valueOf(arg));
    return redis.send(request).recover(e -> {
      if (String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
        sha = null;
        return run(redis, keys, args);
      }
      return Future.failedFuture(e);
    });
  }
}
