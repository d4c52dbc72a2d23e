package eu.gov.intake.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run with EVALSHA: atomic in Redis, one round trip. Its SHA-1 is computed here, and a node that
 * does not have the script yet (or forgot it in a restart) answers NOSCRIPT and gets it once with EVAL, which
 * caches it there. EVAL goes by its keys to the node that owns them: a SCRIPT LOAD, which has no key, would go to
 * any node of a Redis Cluster, not necessarily the one that runs the script. A leaf that dedupe and admission use.
 */
public final class LuaScript {
  private final String source;
  private final String sha;

  public LuaScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  public Future<Response> run(Redis redis, String key, Object... args) {
    return run(redis, List.of(key), args);
  }

  /** With several keys; in Redis Cluster they must share a hash slot (the same hash tag). */
  public Future<Response> run(Redis redis, List<String> keys, Object... args) {
    return redis.send(request(Command.EVALSHA, sha, keys, args)).recover(e -> String.valueOf(e.getMessage()).startsWith("NOSCRIPT")
        ? redis.send(request(Command.EVAL, source, keys, args)) : Future.failedFuture(e));
  }

  private static Request request(Command command, String script, List<String> keys, Object... args) {
    var request = Request.cmd(command).arg(script).arg(keys.size());
    for (String key : keys) request.arg(key);
    for (Object arg : args) {
      if (arg instanceof io.vertx.core.buffer.Buffer bytes) request.arg(bytes);   // as they are, not decoded and encoded again
      else request.arg(String.valueOf(arg));
    }
    return request;
  }

  private static String sha1(String source) {
    try {
      // Redis names a script by the SHA-1 of its text; nothing here rests on SHA-1 being hard to collide
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
