package eu.gov.intake.http;

import eu.gov.intake.failure.ShuttingDown;
import io.vertx.ext.web.RoutingContext;

/**
 * The API port's part of a graceful shutdown. Once told, every new request is answered 503 with
 * {@code Connection: close} instead of being reset: its client learns to retry elsewhere, and each keep-alive
 * connection closes after one last answer, so none is cut while a request is on it.
 */
public final class Draining {
  private volatile boolean refusing;

  public void refuseNewRequests() { refusing = true; }

  void handle(RoutingContext ctx) {
    if (refusing) ctx.fail(new ShuttingDown());
    else ctx.next();
  }
}
