package eu.gov.intake.faults;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded load of one scenario, as front ends send it: workers, each taking applicants one after another, each
 * applicant with a few applications sent in order (the next once the one before was accepted); each keyed
 * application retried with the same Idempotency-Key on every 5xx, timeout or broken connection (and after 409/429,
 * as told), until accepted or {@code giveUp} passed; some applications are double clicks without a key (the same
 * body twice at once). Every attempt is recorded. The load stops by itself when {@code duration} is over: the
 * applications in hand are carried to the end.
 */
final class Traffic {
  /** One HTTP exchange: when, and what came back (status 0: no answer, {@code error} says why). */
  record Attempt(long startMillis, long endMillis, int status, String applicationId, String receivedAt, String error) {
    boolean failed() { return status == 0 || status >= 500; }
  }

  /** One application as the generator sent it; {@code marker} makes its content unique, to find it in Kafka. */
  static final class Sent {
    final String marker;
    final String key;             // null: no Idempotency-Key (a double click)
    final String applicant;
    final int order;              // its place among its applicant's applications
    final String body;
    final Queue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    volatile long acceptedAtMillis;

    /** A copy in another place of its applicant's order (the verifier's self-check). */
    Sent reordered(int newOrder) {
      var copy = new Sent(marker, key, applicant, newOrder, body);
      copy.attempts.addAll(attempts);
      copy.acceptedAtMillis = acceptedAtMillis;
      return copy;
    }

    /** A copy that was answered 202 with another id, one that Kafka never got (the verifier's self-check). */
    Sent acceptedAs(String marker, String applicationId) {
      var copy = new Sent(marker, key, applicant, order, body);
      copy.attempts.add(new Attempt(0, 0, 202, applicationId, null, null));
      copy.acceptedAtMillis = acceptedAtMillis;
      return copy;
    }

    Sent(String marker, String key, String applicant, int order, String body) {
      this.marker = marker;
      this.key = key;
      this.applicant = applicant;
      this.order = order;
      this.body = body;
    }

    boolean accepted() { return acceptedAtMillis > 0; }

    /** The ids its 202 answers carried: one, if all went well. */
    java.util.Set<String> acceptedIds() {
      var ids = new java.util.TreeSet<String>();
      for (var a : attempts) if (a.status() == 202) ids.add(a.applicationId());
      return ids;
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final AtomicLong MARKERS = new AtomicLong();

  private final URI endpoint;
  private final String apiKey;
  private final String tag;
  private final Duration giveUp;
  final Queue<Sent> sent = new ConcurrentLinkedQueue<>();

  Traffic(URI endpoint, String apiKey, String tag, Duration giveUp) {
    this.endpoint = endpoint;
    this.apiKey = apiKey;
    this.tag = tag;
    this.giveUp = giveUp;
  }

  /** Runs {@code workers} for {@code duration}, each pausing {@code pace} between applications; returns when all are done. */
  void run(int workers, Duration duration, Duration pace, int perApplicant, double doubleClicks) throws InterruptedException {
    long until = System.currentTimeMillis() + duration.toMillis();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < workers; w++) {
        pool.submit(() -> {
          while (System.currentTimeMillis() < until) {
            String applicant = "3101" + String.format("%014d", ThreadLocalRandom.current().nextLong(100_000_000_000_000L));
            for (int i = 0; i < perApplicant && System.currentTimeMillis() < until; i++) {
              if (ThreadLocalRandom.current().nextDouble() < doubleClicks) doubleClick(applicant, i);
              else if (!keyed(applicant, i)) break;     // given up: the applicant's next would jump the queue
              sleep(pace.toMillis());
            }
          }
          return null;
        });
      }
    }
  }

  /** An income tax return with an Idempotency-Key, retried until accepted; false if it was given up on. */
  private boolean keyed(String applicant, int order) {
    long n = MARKERS.incrementAndGet();
    var body = new JsonObject().put("serviceCode", "SHTAX-0001")
        .put("applicant", new JsonObject().put("type", "INDIVIDUAL").put("id", applicant))
        .put("channel", "WEB")
        // the marker rides in a field of the application: the event on the topic carries it back
        .put("payload", new JsonObject().put("taxYear", 2025).put("annualIncome", 100_000 + n).put("withheldTax", 9000));
    var app = new Sent(marker(body), "fault-" + UUID.randomUUID(), applicant, order, body.encode());
    sent.add(app);
    return untilAccepted(app);
  }

  /** A card replacement without a key, sent twice at once (a double click); each copy retried like any request. */
  private void doubleClick(String applicant, int order) {
    long n = MARKERS.incrementAndGet();
    var body = new JsonObject().put("serviceCode", "SHHRSS-0011")
        .put("applicant", new JsonObject().put("type", "INDIVIDUAL").put("id", applicant))
        .put("channel", "MOBILE")
        .put("payload", new JsonObject().put("reason", "LOST").put("collectionMethod", "COUNTER").put("mailingAddress", tag + "-" + n));
    var app = new Sent(marker(body), null, applicant, order, body.encode());
    sent.add(app);
    var copies = List.of(Thread.ofVirtual().start(() -> untilAccepted(app)), Thread.ofVirtual().start(() -> untilAccepted(app)));
    for (var copy : copies) {
      try {
        copy.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What identifies an application's content in the events: the payload's unique field. */
  static String marker(JsonObject application) {
    var payload = application.getJsonObject("payload");
    return payload.containsKey("mailingAddress") ? "card:" + payload.getString("mailingAddress") : "tax:" + payload.getValue("annualIncome");
  }

  private boolean untilAccepted(Sent app) {
    long deadline = System.currentTimeMillis() + giveUp.toMillis();
    while (System.currentTimeMillis() < deadline) {
      var request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(8))
          .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(app.body));
      if (app.key != null) request.header("Idempotency-Key", app.key);
      long start = System.currentTimeMillis();
      long wait;
      try {
        var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        String id = null;
        String receivedAt = null;
        if (status == 202) {
          var receipt = new JsonObject(response.body());
          id = receipt.getString("applicationId");
          receivedAt = receipt.getString("receivedAt");
        }
        app.attempts.add(new Attempt(start, System.currentTimeMillis(), status, id, receivedAt,
            status == 202 ? null : problemType(response.body())));
        if (status == 202) {
          if (app.acceptedAtMillis == 0) app.acceptedAtMillis = System.currentTimeMillis();
          return true;
        }
        if (status >= 400 && status < 500 && status != 409 && status != 429) return false;   // the generator's mistake
        wait = Math.min(2000, 1000L * response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(0L));
      } catch (HttpTimeoutException e) {
        app.attempts.add(new Attempt(start, System.currentTimeMillis(), 0, null, null, "timeout"));
        wait = 0;
      } catch (IOException e) {
        app.attempts.add(new Attempt(start, System.currentTimeMillis(), 0, null, null, e.getClass().getSimpleName()));
        wait = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      sleep(Math.max(wait, 100 + ThreadLocalRandom.current().nextInt(200)));
    }
    return false;
  }

  private static String problemType(String body) {
    try {
      String type = new JsonObject(body).getString("type", "?");
      return type.substring(type.lastIndexOf('/') + 1);
    } catch (RuntimeException e) {
      return "not a problem body";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every attempt, in no order. */
  List<Attempt> attempts() {
    var all = new ArrayList<Attempt>();
    for (var app : sent) all.addAll(app.attempts);
    return all;
  }
}
