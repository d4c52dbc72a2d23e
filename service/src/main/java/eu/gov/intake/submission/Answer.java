package eu.gov.intake.submission;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * What the client is told: the status and body, the first time or replayed from the idempotency record.
 * {@code encoded}: the body as sent, written once for the response and the idempotency record both.
 */
public record Answer(int status, String applicationId, String departmentCode, JsonObject body, boolean replayed, Buffer encoded) {
  public Answer(int status, String applicationId, String departmentCode, JsonObject body, boolean replayed) {
    this(status, applicationId, departmentCode, body, replayed, body.toBuffer());
  }
}
