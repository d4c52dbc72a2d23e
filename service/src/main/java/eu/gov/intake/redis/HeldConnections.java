package eu.gov.intake.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.PooledRedisConnection;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * Redis connections held open, a few per event loop, each opened on the event loop that uses it, and shared by
 * its requests: a Redis connection pipelines, so the commands of many requests go out over it together and Redis
 * reads them in one go.
 *
 * <p>Why not Vert.x's pool: a pooled connection is taken by one command until its reply, so 16 connections carried
 * one command each per read of Redis, and a connection made on another event loop than the request's cost two
 * thread hand-offs per command (in the profile, the most frequent frame was the wake-up of another event loop).
 * In a cluster, moreover, Vert.x's client used per command takes a pooled connection to every node and then, when
 * its slot map is older than a second (or after a MOVED), reads the map again over one more connection from the
 * same pool: under load every pooled connection was held by a command waiting for that refresh, and the refresh
 * waited for a connection, so each second every submission in flight stalled until its deadline (503, seen in
 * ClusteredServersIT). The pool is therefore made one larger than the connections held, which keeps one free.
 *
 * <p>A connection that fails below Redis (a node gone, a socket closed), answers READONLY (a master demoted by a
 * failover), or leaves a command unanswered for {@link #UNANSWERED} (a half-open socket: TCP keepalive is on too,
 * but takes minutes), is closed (its socket, not only its lease of the pool) and opened again on its next use,
 * which finds the current master; another error reply of Redis itself (NOSCRIPT, a script's error), or a full
 * queue of commands waiting on it, is the command's own and leaves the connection in place. In a cluster the slot map the connections route by is shared and read again
 * every second and after a MOVED, so a held connection follows a failover.
 */
final class HeldConnections implements Redis {
  /** Redis answers Intake's commands in well under a millisecond; one left this long without an answer is on a dead connection. */
  static final long UNANSWERED = 5_000;
  private final Redis client;
  private final int perEventLoop;
  /**
   * Per event loop thread (or one set for callers off any), its connections, opened on first use. By thread, not
   * by context: each HTTP request runs on a context of its own (a duplicate of its event loop's).
   */
  private final Map<Object, Held> byEventLoop = new ConcurrentHashMap<>();
  private static final Object OFF_EVENT_LOOPS = new Object();

  private record Held(AtomicReferenceArray<Future<RedisConnection>> connections, AtomicInteger next) {}

  HeldConnections(Redis client, int perEventLoop) {
    this.client = client;
    this.perEventLoop = perEventLoop;
  }

  @Override public Future<Response> send(Request command) { return onHeld(conn -> conn.send(command)); }

  @Override public Future<List<Response>> batch(List<Request> commands) { return onHeld(conn -> conn.batch(commands)); }

  @Override public Future<RedisConnection> connect() { return client.connect(); }

  @Override public Future<Void> close() {
    for (var held : byEventLoop.values()) {
      for (int i = 0; i < held.connections().length(); i++) {
        var connection = held.connections().getAndSet(i, null);
        if (connection != null) connection.onSuccess(RedisConnection::close);
      }
    }
    return client.close();
  }

  private <T> Future<T> onHeld(Function<RedisConnection, Future<T>> command) {
    var held = byEventLoop.computeIfAbsent(Context.isOnEventLoopThread() ? Thread.currentThread() : OFF_EVENT_LOOPS,
        c -> new Held(new AtomicReferenceArray<>(perEventLoop), new AtomicInteger()));
    int index = Math.floorMod(held.next().getAndIncrement(), perEventLoop);
    var connection = connection(held.connections(), index);
    return connection.compose(conn -> command.apply(conn).timeout(UNANSWERED, TimeUnit.MILLISECONDS).onFailure(e -> {
      boolean connectionFailed = !(e instanceof ErrorType) || String.valueOf(e.getMessage()).startsWith("READONLY");
      if (connectionFailed && !String.valueOf(e.getMessage()).startsWith("Redis waiting queue is full")
          && held.connections().compareAndSet(index, connection, null)) discard(conn);
    }));
  }

  /** Closes the socket itself: closing a pooled connection only gives it back to the pool, which would lend it again. */
  private static void discard(RedisConnection conn) {
    if (conn instanceof PooledRedisConnection pooled) pooled.actual().close();
    else conn.close();
  }

  /** The connection at {@code index}, opened if there is none or the last attempt failed; one attempt at a time. */
  private Future<RedisConnection> connection(AtomicReferenceArray<Future<RedisConnection>> held, int index) {
    while (true) {
      var current = held.get(index);
      if (current != null && !current.failed()) return current;
      Promise<RedisConnection> opening = Promise.promise();
      var future = opening.future();
      if (held.compareAndSet(index, current, future)) {
        client.connect().onComplete(opening).onSuccess(conn -> {
          // a connection Redis closed (a restart, a failover) is not used again: the next command opens another
          conn.endHandler(end -> held.compareAndSet(index, future, null));
          conn.exceptionHandler(e -> {
            if (held.compareAndSet(index, future, null)) discard(conn);
          });
        });
        return future;
      }
    }
  }
}
