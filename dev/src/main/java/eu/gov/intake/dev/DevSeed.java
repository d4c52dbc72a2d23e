package eu.gov.intake.dev;

import eu.gov.intake.auth.ApiKeys;
import eu.gov.intake.auth.Caller;
import eu.gov.intake.auth.Clients;
import eu.gov.intake.catalog.CatalogImport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Dev mode's demo data: the demo catalog, a channel client {@code demo-web} (WEB, MOBILE), {@code demo-counter}
 * (COUNTER) and one department client per department. Keys are made on first start and kept in
 * {@code .intake/dev.json} only (the database has their hashes); a later start reuses the keys there that
 * still work, so scripts written against the first start keep working.
 */
public final class DevSeed {
  /** Demo front ends are not rate limited in practice: the benchmark and load tests drive them hard. */
  private static final int DEMO_RATE = 1_000_000;

  private record DemoClient(String clientId, Optional<List<String>> channels, Optional<String> department) {}

  private final Vertx vertx;
  private final Path devJson;
  private JsonArray clients = new JsonArray();

  public DevSeed(Vertx vertx, Path devJson) {
    this.vertx = vertx;
    this.devJson = devJson;
  }

  public Future<JsonArray> apply(Pool pool) {
    return vertx.executeBlocking(this::readInputs)
        .compose(inputs -> CatalogImport.upsert(pool, inputs.getJsonObject("catalog"))
            .compose(imported -> ensureClients(pool, inputs.getJsonObject("catalog"), inputs.getJsonArray("previous"))))
        .map(list -> clients = list);
  }

  public JsonArray clients() { return clients; }

  private JsonObject readInputs() throws IOException {
    JsonObject catalog;
    try (InputStream in = DevSeed.class.getClassLoader().getResourceAsStream("catalog/demo-catalog.json")) {
      catalog = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    JsonArray previous = Files.exists(devJson) ? new JsonObject(Files.readString(devJson)).getJsonArray("clients", new JsonArray())
        : new JsonArray();
    return new JsonObject().put("catalog", catalog).put("previous", previous);
  }

  private Future<JsonArray> ensureClients(Pool pool, JsonObject catalog, JsonArray previous) {
    var demo = new ArrayList<DemoClient>();
    demo.add(new DemoClient("demo-web", Optional.of(List.of("WEB", "MOBILE")), Optional.empty()));
    demo.add(new DemoClient("demo-counter", Optional.of(List.of("COUNTER")), Optional.empty()));
    catalog.getJsonArray("departments").stream().map(JsonObject.class::cast).map(d -> d.getString("code"))
        .forEach(code -> demo.add(new DemoClient("dept-" + code.toLowerCase(Locale.ROOT), Optional.empty(), Optional.of(code))));
    var clientsTable = new Clients(pool);
    var keys = new ApiKeys(pool);
    var out = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (DemoClient c : demo) {
      chain = chain
          .compose(v -> c.department().isPresent() ? clientsTable.upsertDepartment(c.clientId(), c.department().get(), DEMO_RATE, DEMO_RATE)
              : clientsTable.upsertChannel(c.clientId(), c.channels().orElseThrow(), DEMO_RATE, DEMO_RATE))
          .compose(written -> written ? keepOrIssue(keys, c.clientId(), previousKey(previous, c.clientId()))
              : Future.failedFuture(new IllegalStateException("demo client " + c.clientId() + " exists here as a client of another kind")))
          .map(key -> {
            var entry = new JsonObject().put("clientId", c.clientId())
                .put("kind", c.department().isPresent() ? "department" : "channel");
            c.channels().ifPresent(ch -> entry.put("channels", new JsonArray(ch)));
            c.department().ifPresent(d -> entry.put("department", d));
            out.add(entry.put("apiKey", key));
            return null;
          });
    }
    return chain.map(out);
  }

  private static Optional<String> previousKey(JsonArray previous, String clientId) {
    return previous.stream().map(JsonObject.class::cast).filter(c -> clientId.equals(c.getString("clientId")))
        .map(c -> c.getString("apiKey")).findFirst();
  }

  private static Future<String> keepOrIssue(ApiKeys keys, String clientId, Optional<String> previous) {
    Future<Caller> stillValid = previous.map(keys::authenticate)
        .orElseGet(() -> Future.failedFuture("no previous key"));
    return stillValid.compose(caller -> caller.clientId().equals(clientId) ? Future.succeededFuture(previous.get())
            : Future.failedFuture("key of another client"))
        // dev.json holds the only copy of a demo key: one it no longer holds is one nobody can use any more
        .recover(e -> keys.revokeAll(clientId).compose(revoked -> keys.issue(clientId)).map(key -> key.value()));
  }
}
