package eu.gov.intake.submission;

import eu.gov.intake.catalog.ServiceEntry;
import eu.gov.intake.failure.InvalidApplication;
import eu.gov.intake.failure.InvalidApplication.FieldError;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Set;

/** A submission whose envelope is complete and whose service is open in the catalog. */
record Application(ServiceEntry service, String applicantType, String applicantId, String channel, JsonObject payload) {
  static final Set<String> CHANNELS = Set.of("WEB", "MOBILE", "COUNTER", "KIOSK", "PARTNER");
  static final Set<String> APPLICANT_TYPES = Set.of("INDIVIDUAL", "ENTERPRISE");

  /** The envelope's own rules; the payload's JSON Schema is checked by the catalog's validator. */
  static Application from(JsonObject body, java.util.function.Function<String, ServiceEntry> openService) {
    var errors = new ArrayList<FieldError>();
    String serviceCode = requiredString(body, "serviceCode", "/serviceCode", errors);
    var applicant = body.getValue("applicant") instanceof JsonObject a ? a : null;
    if (applicant == null) errors.add(new FieldError("/applicant", "required: an object with type and id"));
    String type = applicant == null ? null : requiredString(applicant, "type", "/applicant/type", errors);
    if (type != null && !APPLICANT_TYPES.contains(type)) errors.add(new FieldError("/applicant/type", "must be one of " + APPLICANT_TYPES));
    String id = applicant == null ? null : requiredString(applicant, "id", "/applicant/id", errors);
    String channel = requiredString(body, "channel", "/channel", errors);
    if (channel != null && !CHANNELS.contains(channel)) errors.add(new FieldError("/channel", "must be one of " + CHANNELS));
    var payload = body.getValue("payload") instanceof JsonObject p ? p : null;
    if (payload == null) errors.add(new FieldError("/payload", "required: an object"));
    if (!errors.isEmpty()) throw new InvalidApplication(errors);
    return new Application(openService.apply(serviceCode), type, id, channel, payload);
  }

  private static String requiredString(JsonObject object, String member, String pointer, ArrayList<FieldError> errors) {
    if (object.getValue(member) instanceof String s && !s.isBlank()) return s;
    errors.add(new FieldError(pointer, "required: a non-empty string"));
    return null;
  }

  /** What identifies the request for idempotency: everything but the credential and the key itself. */
  JsonObject content() {
    return new JsonObject().put("serviceCode", service.code())
        .put("applicant", new JsonObject().put("type", applicantType).put("id", applicantId))
        .put("channel", channel).put("payload", payload);
  }
}
