package eu.gov.intake.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * A Redis Cluster client that keeps its connections open. Vert.x's cluster client, asked to send one command,
 * takes a connection to every node from a bounded pool per node, and then, when its slot map is older than a
 * second (or after a MOVED), reads the map again over one more connection from the same pool. Under load every
 * pooled connection is held by a command that waits for that refresh, and the refresh waits for a connection: each
 * second, every submission in flight stalled until its deadline (503), seen in ClusteredServersIT. So commands go
 * over {@code size} cluster connections opened once and shared (a Redis connection pipelines), and the pool is made
 * one larger than that, which keeps a connection free for the refresh.
 *
 * <p>A connection that fails below Redis (a node gone, a socket closed) is closed and opened again on its next
 * use; an error reply of Redis itself (NOSCRIPT, a script's error), or a full queue of commands waiting on it, is
 * the command's own and leaves the connection in place. The slot map the connections route by is shared and
 * read again every second and after a MOVED, so a held connection follows a failover.
 */
final class ClusterConnections implements Redis {
  private final Redis client;
  private final AtomicReferenceArray<Future<RedisConnection>> held;
  private final AtomicInteger next = new AtomicInteger();

  ClusterConnections(Redis client, int size) {
    this.client = client;
    this.held = new AtomicReferenceArray<>(size);
  }

  @Override public Future<Response> send(Request command) { return onHeld(conn -> conn.send(command)); }

  @Override public Future<List<Response>> batch(List<Request> commands) { return onHeld(conn -> conn.batch(commands)); }

  @Override public Future<RedisConnection> connect() { return client.connect(); }

  @Override public Future<Void> close() {
    for (int i = 0; i < held.length(); i++) {
      var connection = held.getAndSet(i, null);
      if (connection != null) connection.onSuccess(RedisConnection::close);
    }
    return client.close();
  }

  private <T> Future<T> onHeld(Function<RedisConnection, Future<T>> command) {
    int index = Math.floorMod(next.getAndIncrement(), held.length());
    var connection = connection(index);
    return connection.compose(conn -> command.apply(conn).onFailure(e -> {
      if (!(e instanceof ErrorType) && !String.valueOf(e.getMessage()).startsWith("Redis waiting queue is full")
          && held.compareAndSet(index, connection, null)) conn.close();
    }));
  }

  /** The connection at {@code index}, opened if there is none or the last attempt failed; one attempt at a time. */
  private Future<RedisConnection> connection(int index) {
    while (true) {
      var current = held.get(index);
      if (current != null && !current.failed()) return current;
      Promise<RedisConnection> opening = Promise.promise();
      if (held.compareAndSet(index, current, opening.future())) {
        client.connect().onComplete(opening);
        return opening.future();
      }
    }
  }
}
