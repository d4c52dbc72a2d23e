package eu.gov.intake.submission;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The 202 body: proof that the application is durably accepted. */
record Receipt(String applicationId, String serviceCode, String departmentCode, Instant receivedAt) {
  JsonObject toJson() {
    return new JsonObject().put("applicationId", applicationId).put("status", "ACCEPTED")
        .put("serviceCode", serviceCode).put("departmentCode", departmentCode).put("receivedAt", receivedAt.toString());
  }

  /** The event a department receives: the receipt's facts and the application as submitted. */
  byte[] event(Application app, String clientId) {
    ObjectNode event = JsonNodeFactory.instance.objectNode();
    event.put("applicationId", applicationId).put("status", "ACCEPTED").put("serviceCode", serviceCode)
        .put("departmentCode", departmentCode).put("receivedAt", receivedAt.toString()).put("channel", app.channel())
        .put("clientId", clientId);
    event.set("applicant", app.applicant());
    event.set("payload", app.payload());
    return RequestJson.write(event);
  }
}
