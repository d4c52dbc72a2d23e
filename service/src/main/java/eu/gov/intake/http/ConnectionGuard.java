package eu.gov.intake.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API port's connections, shared by its server instances: at most {@code max} open at once (one past it is
 * closed as soon as it is accepted, before anything is read), and a new connection must deliver its first
 * request's headers within {@code headerTimeout}. The idle timeout alone would not do: it starts again with every
 * byte, so a client sending a header byte every few seconds would hold a connection for ever. Later requests on a
 * kept-alive connection are bounded by the idle timeout and the header size limit; what such a client can hold is
 * one of {@code max} connections, nothing more.
 */
public final class ConnectionGuard {
  private final Vertx vertx;
  private final int max;
  private final Duration headerTimeout;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final Map<HttpConnection, Long> awaitingHeaders = new ConcurrentHashMap<>();

  public ConnectionGuard(Vertx vertx, int max, Duration headerTimeout) {
    this.vertx = vertx;
    this.max = max;
    this.headerTimeout = headerTimeout;
  }

  /** For the server's connection handler. */
  void accepted(HttpConnection connection) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      refused.incrementAndGet();
      connection.close();
      return;
    }
    awaitingHeaders.put(connection, vertx.setTimer(headerTimeout.toMillis(), t -> {
      if (awaitingHeaders.remove(connection) != null) connection.close();
    }));
    connection.closeHandler(closed -> {
      open.decrementAndGet();
      headersArrived(connection);
    });
  }

  /** For the server's request handler: this connection's first request is readable, its clock stops. */
  void arrived(HttpServerRequest request) { headersArrived(request.connection()); }

  private void headersArrived(HttpConnection connection) {
    Long timer = awaitingHeaders.remove(connection);
    if (timer != null) vertx.cancelTimer(timer);
  }

  public int open() { return open.get(); }

  public long refused() { return refused.get(); }
}
