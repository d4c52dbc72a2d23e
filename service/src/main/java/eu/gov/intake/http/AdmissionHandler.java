package eu.gov.intake.http;

import eu.gov.intake.admission.InFlightLimit;
import eu.gov.intake.failure.Overloaded;
import eu.gov.intake.metrics.IntakeMeters;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs before the body is read: a request that cannot be admitted costs no buffering and no Redis or Kafka work. */
final class AdmissionHandler implements Handler<RoutingContext> {
  private final InFlightLimit limit;
  private final IntakeMeters meters;

  AdmissionHandler(InFlightLimit limit, IntakeMeters meters) {
    this.limit = limit;
    this.meters = meters;
  }

  @Override public void handle(RoutingContext ctx) {
    if (!limit.tryEnter()) {
      meters.submission("overloaded", "none");
      ctx.fail(new Overloaded());
      return;
    }
    long arrived = System.nanoTime();
    var left = new AtomicBoolean();
    // the slot is held until the answer is sent or the client is gone, whichever comes first
    ctx.addEndHandler(done -> {
      if (left.compareAndSet(false, true)) limit.leave();
      int status = ctx.response().getStatusCode();
      meters.submissionDuration(status < 400 ? "accepted" : status < 500 ? "rejected" : "failed", System.nanoTime() - arrived);
    });
    ctx.next();
  }
}
