package eu.gov.intake.health;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Ready answers for this process only: started, catalog loaded, not draining. It does not look at Kafka, Redis
 * or PostgreSQL: with Kafka down the spool serves, and with Redis or PostgreSQL down Intake answers with its own
 * 503 problem, which beats a load balancer's error page; were readiness to follow them, one outage of a
 * shared dependency would take every instance out of the load balancer at once. {@link DependencyWatch} reports
 * the dependencies.
 */
public final class Readiness {
  private final Map<String, BooleanSupplier> conditions = new LinkedHashMap<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean draining = new AtomicBoolean();

  public Readiness condition(String name, BooleanSupplier holds) {
    conditions.put(name, holds);
    return this;
  }

  /** Start-up is over: the catalog is loaded and the API listens. The startup probe turns 200 from here. */
  public void started() { started.set(true); }

  public boolean isStarted() { return started.get(); }

  /** From now on the instance reports unready, so load balancers stop sending to it. */
  public void drain() { draining.set(true); }

  public boolean isReady() { return check().getBoolean("ready"); }

  /** {@code {ready, checks: {name: "UP"|"DOWN"}}}; cheap, no I/O. */
  public JsonObject check() {
    var checks = new JsonObject().put("started", started.get() ? "UP" : "DOWN");
    conditions.forEach((name, holds) -> checks.put(name, holds.getAsBoolean() ? "UP" : "DOWN"));
    checks.put("draining", draining.get() ? "DOWN" : "UP");
    return new JsonObject().put("ready", checks.stream().allMatch(e -> "UP".equals(e.getValue()))).put("checks", checks);
  }
}
