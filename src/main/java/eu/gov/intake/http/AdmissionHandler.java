package eu.gov.intake.http;

import eu.gov.intake.admission.InFlightLimit;
import eu.gov.intake.failure.Overloaded;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs before the body is read: a request that cannot be admitted costs no buffering and no Redis or Kafka work. */
final class AdmissionHandler implements Handler<RoutingContext> {
  private final InFlightLimit limit;

  AdmissionHandler(InFlightLimit limit) { this.limit = limit; }

  @Override public void handle(RoutingContext ctx) {
    if (!limit.tryEnter()) {
      ctx.fail(new Overloaded());
      return;
    }
    var left = new AtomicBoolean();
    // the slot is held until the answer is sent or the client is gone, whichever comes first
    ctx.addEndHandler(done -> {
      if (left.compareAndSet(false, true)) limit.leave();
    });
    ctx.next();
  }
}
