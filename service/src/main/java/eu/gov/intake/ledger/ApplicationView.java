package eu.gov.intake.ledger;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a status read answers (contract section 3), and who may see it: the client that submitted the
 * application and the department that owns it.
 */
public record ApplicationView(String applicationId, String serviceCode, String departmentCode, String clientId, Status status,
                              Instant receivedAt, Instant updatedAt, List<Entry> history) {
  public record Entry(Status status, Instant at, Optional<String> note) {}

  /** An application the ledger has not recorded yet: accepted, nothing else has happened to it. */
  static ApplicationView justAccepted(JsonObject submitted) {
    var at = Instant.parse(submitted.getString("receivedAt"));
    return new ApplicationView(submitted.getString("applicationId"), submitted.getString("serviceCode"),
        submitted.getString("departmentCode"), submitted.getString("clientId", ""), Status.ACCEPTED, at, at,
        List.of(new Entry(Status.ACCEPTED, at, Optional.empty())));
  }

  public JsonObject toJson() {
    var entries = new JsonArray();
    history.forEach(e -> entries.add(new JsonObject().put("status", e.status().name()).put("at", e.at().toString())
        .put("note", e.note().orElse(null))));
    return new JsonObject().put("applicationId", applicationId).put("serviceCode", serviceCode)
        .put("departmentCode", departmentCode).put("status", status.name()).put("receivedAt", receivedAt.toString())
        .put("updatedAt", updatedAt.toString()).put("history", entries);
  }
}
