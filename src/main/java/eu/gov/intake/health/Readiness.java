package eu.gov.intake.health;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Ready means: every dependency answers a real round trip now, the catalog is loaded, and the instance is not
 * draining. Each probe is bounded so a hung dependency makes the instance unready instead of the probe hang.
 */
public final class Readiness {
  private final Map<String, Supplier<Future<?>>> probes = new LinkedHashMap<>();
  private final Map<String, BooleanSupplier> conditions = new LinkedHashMap<>();
  private final AtomicBoolean draining = new AtomicBoolean();

  public Readiness probe(String name, Supplier<Future<?>> roundTrip) {
    probes.put(name, roundTrip);
    return this;
  }

  public Readiness condition(String name, BooleanSupplier holds) {
    conditions.put(name, holds);
    return this;
  }

  /** From now on the instance reports unready, so load balancers stop sending to it. */
  public void drain() { draining.set(true); }

  /** Completes with {@code {ready, checks: {name: "UP"|"DOWN"}}}; never fails. */
  public Future<JsonObject> check() {
    var checks = new JsonObject();
    conditions.forEach((name, holds) -> checks.put(name, holds.getAsBoolean() ? "UP" : "DOWN"));
    checks.put("draining", draining.get() ? "DOWN" : "UP");
    var rounds = probes.entrySet().stream()
        .map(p -> safely(p.getValue()).timeout(2, TimeUnit.SECONDS)
            .transform(r -> Future.succeededFuture(checks.put(p.getKey(), r.succeeded() ? "UP" : "DOWN"))))
        .toList();
    return Future.join(rounds).transform(done -> Future.succeededFuture(new JsonObject()
        .put("ready", checks.stream().allMatch(e -> "UP".equals(e.getValue()))).put("checks", checks)));
  }

  private static Future<?> safely(Supplier<Future<?>> probe) {
    try {
      return probe.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
