package eu.gov.intake.http;

import eu.gov.intake.failure.ShuttingDown;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * The API port's part of a graceful shutdown. Once told, every new request is answered 503 with
 * {@code Connection: close} instead of being reset, and the answers of requests still in flight close their
 * connections too: each client learns to go elsewhere, and no keep-alive connection is left idle for the final
 * close to cut. The port closes once requests have stopped arriving for a moment ({@link #quietFor}).
 */
public final class Draining {
  private volatile boolean refusing;
  private volatile long lastRequestNanos = System.nanoTime();

  public void refuseNewRequests() { refusing = true; }

  void handle(RoutingContext ctx) {
    lastRequestNanos = System.nanoTime();
    ctx.addHeadersEndHandler(v -> {
      if (refusing) ctx.response().putHeader("Connection", "close");
    });
    if (refusing) ctx.fail(new ShuttingDown());
    else ctx.next();
  }

  /** Whether no request has arrived for this long. */
  public boolean quietFor(Duration quiet) { return System.nanoTime() - lastRequestNanos >= quiet.toNanos(); }
}
