package eu.gov.intake.submission;

import io.vertx.core.json.JsonObject;

/** What the client is told: the status and body, the first time or replayed from the idempotency record. */
public record Answer(int status, String applicationId, String departmentCode, JsonObject body, boolean replayed) {}
