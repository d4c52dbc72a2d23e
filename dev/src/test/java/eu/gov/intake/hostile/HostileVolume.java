package eu.gov.intake.hostile;

import eu.gov.intake.testing.HostileCorpus;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Hostile traffic at volume against a running Intake on 127.0.0.1 (issue 13, item 10), in two phases, with
 * well-formed submissions of another client running beside both at a constant rate:
 * <ol>
 *   <li><b>siege</b>: {@code idle} connections that never send a byte, {@code slow} slow-body submissions (half
 *   with the attacker's valid key: each announces a 256 KiB body and sends a byte every few seconds; half with an
 *   unknown key), and a few hundred slowloris header writers; each connection the server closes is opened
 *   again, as an attacker would.</li>
 *   <li><b>volume</b>: the siege goes on, and {@code requests} hostile requests are sent by {@code workers}
 *   connections at once, each a case of the hostile corpus, mutated: random bytes, truncated, oversized and lying
 *   bodies, huge and many headers, invalid UTF-8 and Unicode edge cases, absurd numbers, deep nesting, request
 *   smuggling with conflicting Content-Length and Transfer-Encoding, garbage instead of HTTP.</li>
 * </ol>
 * Prints, per phase, the well-formed traffic's success ratio and latency percentiles (from the moment each was due:
 * an open model, a slow answer does not hide the queue behind it), and for the volume phase the answers by status.
 * Samples Intake's heap (its /metrics) and RSS (/proc) every second. Exits 1 if Intake died, a 5xx other than a
 * deliberate 503 was answered, the well-formed success ratio fell under 99 % or, in the siege, their p99 passed 1 s.
 */
public final class HostileVolume {
  private static final String HOST = "127.0.0.1";

  private final int port;
  private final int managementPort;
  private final long pid;
  private final String attackerKey;
  private final String goodKey;
  private final List<JsonObject> corpus;
  private final AtomicBoolean sieging = new AtomicBoolean(true);
  /** The siege's slow bodies with the attacker's valid key; in the volume phase that key sends the hostile requests. */
  private final AtomicBoolean authenticatedSlowBodies = new AtomicBoolean(true);
  private final java.util.Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final java.util.Set<Socket> keyedSlowBodies = ConcurrentHashMap.newKeySet();
  private final LongAdder siegeConnections = new LongAdder();
  private final AtomicLong peakHeap = new AtomicLong();
  private final AtomicLong heapMax = new AtomicLong();
  private final AtomicLong peakRss = new AtomicLong();
  private final AtomicLong peakReserved = new AtomicLong();
  private final AtomicLong peakConnections = new AtomicLong();

  private HostileVolume(int port, int managementPort, long pid, String attackerKey, String goodKey, List<JsonObject> corpus) {
    this.port = port;
    this.managementPort = managementPort;
    this.pid = pid;
    this.attackerKey = attackerKey;
    this.goodKey = goodKey;
    this.corpus = corpus;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.getInteger("port", 18280);
    int managementPort = Integer.getInteger("managementPort", 19290);
    long pid = Long.getLong("pid", -1);
    var keys = new JsonObject(Files.readString(Path.of(System.getProperty("devJson"))));
    String attacker = key(keys, "demo-web");
    String good = key(keys, "demo-counter");
    int requests = Integer.getInteger("requests", 100_000);
    int workers = Integer.getInteger("workers", 32);
    int idle = Integer.getInteger("idle", 2_000);
    int slow = Integer.getInteger("slow", 1_000);
    int goodRate = Integer.getInteger("goodRate", 50);
    int siegeSeconds = Integer.getInteger("siegeSeconds", 60);
    int warmSeconds = Integer.getInteger("warmSeconds", 30);
    var corpus = HostileCorpus.cases();
    var run = new HostileVolume(port, managementPort, pid, attacker, good, corpus);
    System.exit(run.run(requests, workers, idle, slow, goodRate, warmSeconds, siegeSeconds) ? 0 : 1);
  }

  private static String key(JsonObject devJson, String client) {
    return devJson.getJsonArray("clients").stream().map(JsonObject.class::cast).filter(c -> c.getString("clientId").equals(client))
        .findFirst().orElseThrow(() -> new IllegalStateException(client + " is not in dev.json")).getString("apiKey");
  }

  private boolean run(int requests, int workers, int idle, int slow, int goodRate, int warmSeconds, int siegeSeconds) throws Exception {
    System.out.printf("hostile: %d cores, Intake pid %d on %s:%d; siege %d idle + %d slow-body connections for %d s, then %d hostile "
        + "requests from %d connections at once; well-formed submissions at %d/s throughout%n",
        Runtime.getRuntime().availableProcessors(), pid, HOST, port, idle, slow, siegeSeconds, requests, workers, goodRate);
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      threads.submit(this::sampleMemory);
      // the siege: opened gradually (a few hundred a second), as a botnet ramps up
      for (int i = 0; i < idle; i++) {
        threads.submit(this::idleConnection);
        if (i % 100 == 99) Thread.sleep(50);
      }
      for (int i = 0; i < slow; i++) {
        boolean authenticated = i % 2 == 0;
        threads.submit(() -> slowBody(authenticated));
        if (i % 100 == 99) Thread.sleep(50);
      }
      for (int i = 0; i < 200; i++) threads.submit(this::slowHeaders);
      // the siege in place, and Intake's JIT done with it (about 30 s here), before anything is measured
      new Good("warm-up").runFor(threads, goodRate, Duration.ofSeconds(warmSeconds)).await();
      var siege = new Good("siege");
      var siegeDone = siege.runFor(threads, goodRate, Duration.ofSeconds(siegeSeconds));
      siegeDone.await();
      System.out.printf("siege: %d attack connections open at its end (%d opened in all)%n", open.size(), siegeConnections.sum());

      authenticatedSlowBodies.set(false);
      for (var socket : keyedSlowBodies) release(socket);   // the attacker's key moves on to the hostile requests
      var volume = new Good("volume");
      var answers = new ConcurrentHashMap<String, LongAdder>();
      var byKind = new ConcurrentHashMap<String, LongAdder>();
      var sent = new AtomicInteger();
      var stopGood = new AtomicBoolean();
      var volumeGood = volume.runUntil(threads, goodRate, stopGood);
      long started = System.nanoTime();
      var done = new CountDownLatch(workers);
      for (int w = 0; w < workers; w++) {
        long seed = w;
        threads.submit(() -> {
          var random = new SplittableRandom(seed * 7919 + 17);
          try {
            while (sent.incrementAndGet() <= requests) {
              var attack = Mutations.next(random, corpus, attackerKey, sent.get());
              String answer = Mutations.send(port, attack);
              answers.computeIfAbsent(answer, a -> new LongAdder()).increment();
              byKind.computeIfAbsent(attack.kind() + " -> " + answer, a -> new LongAdder()).increment();
            }
          } finally {
            done.countDown();
          }
        });
      }
      done.await();
      double seconds = (System.nanoTime() - started) / 1e9;
      stopGood.set(true);
      volumeGood.await();
      sieging.set(false);
      for (var socket : open) release(socket);

      boolean alive = pid < 0 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      int live = status(managementPort, "/health/live");
      var byStatus = new TreeMap<String, Long>();
      answers.forEach((k, v) -> byStatus.put(k, v.sum()));
      long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
      // Vert.x itself answers a request line of an HTTP version it does not know (HTTP/7.0) with a bare 501 and closes,
      // before any handler of Intake's runs; counted apart, not as Intake's
      long unknownVersion = byKind.entrySet().stream().filter(e -> e.getKey().equals("request-line -> 501 -"))
          .mapToLong(e -> e.getValue().sum()).sum();
      long serverErrors = byStatus.entrySet().stream().filter(e -> e.getKey().startsWith("5") && !e.getKey().equals("503 overloaded"))
          .mapToLong(Map.Entry::getValue).sum() - unknownVersion;
      System.out.printf("volume: %d hostile requests in %.1f s (%.0f/s), answers by status: %s%n", total, seconds, total / seconds, byStatus);
      var kinds = new TreeMap<String, Long>();
      byKind.forEach((k, v) -> kinds.put(k, v.sum()));
      kinds.forEach((k, v) -> System.out.printf("  %-48s %d%n", k, v));
      System.out.printf("volume: 5xx other than 503 overloaded: %d (and %d bare 501s of Vert.x to an unknown HTTP version); "
          + "Intake alive: %s, /health/live %d%n", serverErrors, unknownVersion, alive, live);
      System.out.printf("memory: peak heap used %d MiB of %d MiB max, peak body bytes reserved %d KiB, peak open connections %d "
          + "(sampled each second); peak RSS %d MiB%n", peakHeap.get() >> 20, heapMax.get() >> 20, peakReserved.get() >> 10,
          peakConnections.get(), peakRss.get() >> 10);
      boolean ok = siege.report(true) & volume.report(false);
      ok &= alive && live == 200 && serverErrors == 0;
      System.out.println(ok ? "hostile: PASSED" : "hostile: FAILED");
      threads.shutdownNow();
      return ok;
    }
  }

  /** Well-formed submissions of the other client, one due every 1/rate s, each on a virtual thread of its own. */
  private final class Good {
    private final String phase;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(System.nanoTime() % 100_000_000L);

    Good(String phase) { this.phase = phase; }

    CountDownLatch runFor(java.util.concurrent.ExecutorService threads, int rate, Duration length) {
      long end = System.nanoTime() + length.toNanos();
      var stop = new AtomicBoolean();
      threads.submit(() -> {
        while (System.nanoTime() < end) Thread.sleep(100);
        stop.set(true);
        return null;
      });
      return runUntil(threads, rate, stop);
    }

    CountDownLatch runUntil(java.util.concurrent.ExecutorService threads, int rate, AtomicBoolean stop) {
      var finished = new CountDownLatch(1);
      threads.submit(() -> {
        long interval = 1_000_000_000L / rate;
        long due = System.nanoTime();
        var inFlight = new ArrayList<java.util.concurrent.Future<?>>();
        while (!stop.get()) {
          long dueAt = due;
          inFlight.add(threads.submit(() -> submit(dueAt)));
          due += interval;
          long wait = due - System.nanoTime();
          if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        }
        for (var f : inFlight) {
          try {
            f.get();
          } catch (Exception ignored) {
            // counted by submit
          }
        }
        finished.countDown();
        return null;
      });
      return finished;
    }

    private void submit(long due) {
      String applicant = "3101011990" + String.format("%08d", next.incrementAndGet() % 100_000_000);
      String body = new JsonObject().put("serviceCode", "SHTAX-0001")
          .put("applicant", new JsonObject().put("type", "INDIVIDUAL").put("id", applicant)).put("channel", "COUNTER")
          .put("payload", new JsonObject().put("taxYear", 2025).put("annualIncome", 180000).put("withheldTax", 9000)).encode();
      var request = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + "/v1/applications"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("Authorization", "Bearer " + goodKey)
          .header("Idempotency-Key", "good-" + UUID.randomUUID()).POST(HttpRequest.BodyPublishers.ofString(body)).build();
      int status;
      try {
        status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (Exception e) {
        status = 0;   // no answer: a failure like any other
      }
      latencies.add(System.nanoTime() - due);
      statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    /** Prints the phase's figures; false if under 99 % were accepted or (where asked) p99 passed 1 s. */
    boolean report(boolean p99Bound) {
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      long accepted = statuses.getOrDefault(202, new LongAdder()).sum();
      double ratio = sorted.length == 0 ? 0 : (double) accepted / sorted.length;
      double p50 = percentile(sorted, 0.50), p99 = percentile(sorted, 0.99), p999 = percentile(sorted, 0.999);
      var byStatus = new TreeMap<Integer, Long>();
      statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
      System.out.printf("%s: well-formed submissions %d, accepted %d (%.2f %%), statuses %s, latency p50 %.0f ms, p99 %.0f ms, "
          + "p99.9 %.0f ms, max %.0f ms%n", phase, sorted.length, accepted, ratio * 100, byStatus, p50, p99, p999,
          sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
      return sorted.length > 0 && ratio >= 0.99 && (!p99Bound || p99 < 1000);
    }
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  /** Opens a connection and sends nothing; when the server closes it (its header deadline), opens another. */
  private Void idleConnection() {
    while (sieging.get()) {
      Socket socket = null;
      try {
        socket = connect();
        socket.setSoTimeout(0);
        while (sieging.get() && socket.getInputStream().read() != -1) {
          // nothing is expected; a byte would be an answer we do not read
        }
      } catch (IOException e) {
        pause(200);
      } finally {
        release(socket);
      }
    }
    return null;
  }

  /** Announces a 256 KiB body, sends all but a little of it, then a byte every few seconds. */
  private Void slowBody(boolean authenticated) {
    var random = new SplittableRandom();
    while (sieging.get()) {
      Socket socket = null;
      try {
        socket = connect();
        boolean withKey = authenticated && authenticatedSlowBodies.get();
        if (withKey) keyedSlowBodies.add(socket);
        var out = socket.getOutputStream();
        int length = 256 * 1024;
        out.write(("POST /v1/applications HTTP/1.1\r\nHost: " + HOST + "\r\nContent-Type: application/json\r\nAuthorization: Bearer "
            + (withKey ? attackerKey : "ik_unknown_" + "y".repeat(43)) + "\r\nIdempotency-Key: slow-" + UUID.randomUUID()
            + "\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[length - 100]);
        out.flush();
        socket.setSoTimeout(3_000 + random.nextInt(2_000));
        while (sieging.get()) {
          try {
            if (socket.getInputStream().read() == -1) break;   // answered (401, 408, 503) and closed
          } catch (java.net.SocketTimeoutException stillWaiting) {
            out.write(' ');
            out.flush();
          }
        }
      } catch (IOException e) {
        pause(200);
      } finally {
        release(socket);
      }
      pause(1_000);   // a refused one comes back a second later: a siege, not a connection flood
    }
    return null;
  }

  /** Slowloris: a header line a byte at a time, never the blank line that ends the headers. */
  private Void slowHeaders() {
    while (sieging.get()) {
      Socket socket = null;
      try {
        socket = connect();
        var out = socket.getOutputStream();
        out.write(("GET /v1/applications/x HTTP/1.1\r\nHost: " + HOST + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (sieging.get()) {
          out.write("X-a: b\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          Thread.sleep(2_000);
        }
      } catch (IOException | InterruptedException e) {
        pause(200);
      } finally {
        release(socket);
      }
    }
    return null;
  }

  /** A siege connection, in {@link #open} until {@link #release}d. */
  private Socket connect() throws IOException {
    var socket = new Socket();
    socket.connect(new InetSocketAddress(HOST, port), 5_000);
    siegeConnections.increment();
    open.add(socket);
    return socket;
  }

  private void release(Socket socket) {
    if (socket == null) return;
    open.remove(socket);
    keyedSlowBodies.remove(socket);
    close(socket);
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing at the end of the run
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Heap from Intake's own metrics, RSS from /proc: the peaks over the run. */
  private Void sampleMemory() throws InterruptedException {
    var client = HttpClient.newHttpClient();
    while (true) {
      try {
        String metrics = client.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + managementPort + "/metrics"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        long used = 0, max = 0;
        for (String line : metrics.split("\n")) {
          if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) used += value(line);
          if (line.startsWith("jvm_memory_max_bytes{") && line.contains("area=\"heap\"")) max += Math.max(0, value(line));
          if (line.startsWith("intake_body_bytes_reserved")) peakReserved.accumulateAndGet(value(line), Math::max);
          if (line.startsWith("intake_connections ")) peakConnections.accumulateAndGet(value(line), Math::max);
        }
        peakHeap.accumulateAndGet(used, Math::max);
        if (max > 0) heapMax.set(max);
      } catch (IOException e) {
        // a missed sample
      }
      if (pid > 0) {
        try {
          for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) peakRss.accumulateAndGet(Long.parseLong(line.replaceAll("\\D", "")), Math::max);
          }
        } catch (IOException e) {
          // the process is gone: reported at the end
        }
      }
      Thread.sleep(1_000);
    }
  }

  private static long value(String line) { return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)); }

  private static int status(int port, String path) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return 0;
    }
  }

  static byte[] concat(byte[]... parts) {
    var out = new ByteArrayOutputStream();
    for (byte[] part : parts) out.writeBytes(part);
    return out.toByteArray();
  }

  static byte[] ascii(String text) { return text.getBytes(StandardCharsets.ISO_8859_1); }

  static byte[] utf8(String text) { return text.getBytes(StandardCharsets.UTF_8); }

}
