package eu.gov.intake.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A round trip to each dependency every few seconds, in the background and off the request path, from the first
 * second of the process on, whether or not anyone asks: it feeds {@code intake_dependency_up} and
 * {@code /health/dependencies}. Each round trip is bounded, so a hung dependency reads as down rather than as
 * a check that never ends; a check still running when the next is due is not started twice.
 */
public final class DependencyWatch {
  private static final Logger LOG = LoggerFactory.getLogger(DependencyWatch.class);

  /** The last check of one dependency: up or not, since when, and the last error (a class and a message, no data). */
  public record State(boolean up, Instant since, Instant checked, String lastError, Instant lastErrorAt) {
    static final State UNKNOWN = new State(false, null, null, "not checked yet", null);

    JsonObject toJson() {
      return new JsonObject().put("status", checked == null ? "UNKNOWN" : up ? "UP" : "DOWN")
          .put("since", since == null ? null : since.toString()).put("checkedAt", checked == null ? null : checked.toString())
          .put("lastError", lastError).put("lastErrorAt", lastErrorAt == null ? null : lastErrorAt.toString());
    }
  }

  private final Vertx vertx;
  private final Duration interval;
  private final Duration bound;
  private final Map<String, Supplier<Future<?>>> probes = new LinkedHashMap<>();
  private final Map<String, State> states = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Boolean> running = new java.util.concurrent.ConcurrentHashMap<>();
  private long timer = -1;

  public DependencyWatch(Vertx vertx, Duration interval) {
    this.vertx = vertx;
    this.interval = interval;
    // a first connection (TLS, SCRAM) can take a second on a busy host: 2 s, however often the checks run
    this.bound = Duration.ofSeconds(2);
  }

  public DependencyWatch probe(String name, Supplier<Future<?>> roundTrip) {
    probes.put(name, roundTrip);
    states.put(name, State.UNKNOWN);
    return this;
  }

  /** Checks at once, then every interval. */
  public void start() {
    checkAll();
    timer = vertx.setPeriodic(interval.toMillis(), t -> checkAll());
  }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  public boolean up(String name) { return states.getOrDefault(name, State.UNKNOWN).up(); }

  public java.util.Set<String> names() { return probes.keySet(); }

  /** {@code {name: {status, since, checkedAt, lastError, lastErrorAt}}}, for humans. */
  public JsonObject toJson() {
    var json = new JsonObject();
    probes.keySet().forEach(name -> json.put(name, states.get(name).toJson()));
    return json;
  }

  private void checkAll() {
    probes.forEach((name, probe) -> {
      // one call per dependency at a time: a hung one reads as down at the bound, and no second one piles up
      // behind it until it really ends (the Kafka admin client's own timeout is a minute)
      if (running.putIfAbsent(name, Boolean.TRUE) != null) return;
      var call = safely(probe);
      call.onComplete(r -> running.remove(name));
      call.timeout(bound.toMillis(), TimeUnit.MILLISECONDS).onComplete(r -> record(name, r.succeeded() ? null : describe(r.cause())));
    });
  }

  private void record(String name, String error) {
    var now = Instant.now();
    var before = states.get(name);
    boolean up = error == null;
    boolean changed = before.checked() == null || before.up() != up;
    states.put(name, new State(up, changed ? now : before.since(), now, up ? before.lastError() : error,
        up ? before.lastErrorAt() : now));
    if (changed && before.checked() != null) {
      if (up) LOG.info("dependency {} is up again", name);
      else LOG.warn("dependency {} is down: {}", name, error);
    } else if (changed && !up) {
      LOG.warn("dependency {} is down: {}", name, error);
    }
  }

  private static String describe(Throwable e) {
    return e instanceof java.util.concurrent.TimeoutException ? "no answer in time" : eu.gov.intake.failure.OneLine.of(e);
  }

  private static Future<?> safely(Supplier<Future<?>> probe) {
    try {
      return probe.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
