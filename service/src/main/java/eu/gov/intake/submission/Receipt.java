package eu.gov.intake.submission;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.gov.intake.dedupe.Canonical;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The 202 body: proof that the application is durably accepted. */
record Receipt(String applicationId, String serviceCode, String departmentCode, Instant receivedAt) {
  JsonObject toJson() {
    return new JsonObject().put("applicationId", applicationId).put("status", "ACCEPTED")
        .put("serviceCode", serviceCode).put("departmentCode", departmentCode).put("receivedAt", receivedAt.toString());
  }

  /**
   * The event a department receives: the receipt's facts and the application as submitted, its applicant and
   * payload as {@code written} for its fingerprint (the same values, members sorted by name). The facts come
   * first, so that a reader needing only them (the ledger) stops before the application's own bytes.
   */
  byte[] event(Application app, String clientId, Canonical written) {
    ObjectNode facts = JsonNodeFactory.instance.objectNode();
    facts.put("applicationId", applicationId).put("status", "ACCEPTED").put("serviceCode", serviceCode)
        .put("departmentCode", departmentCode).put("receivedAt", receivedAt.toString()).put("channel", app.channel())
        .put("clientId", clientId);
    byte[] head = RequestJson.write(facts);
    var event = new ByteArrayOutputStream(head.length + written.bytes().length);
    event.write(head, 0, head.length - 1);                                       // without its closing brace
    event.writeBytes(",\"applicant\":".getBytes(StandardCharsets.US_ASCII));
    written.writeMember("applicant", event);
    event.writeBytes(",\"payload\":".getBytes(StandardCharsets.US_ASCII));
    written.writeMember("payload", event);
    event.write('}');
    return event.toByteArray();
  }
}
