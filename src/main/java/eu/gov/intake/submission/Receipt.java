package eu.gov.intake.submission;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The 202 body: proof that the application is durably accepted. */
record Receipt(String applicationId, String serviceCode, String departmentCode, Instant receivedAt) {
  JsonObject toJson() {
    return new JsonObject().put("applicationId", applicationId).put("status", "ACCEPTED")
        .put("serviceCode", serviceCode).put("departmentCode", departmentCode).put("receivedAt", receivedAt.toString());
  }
}
