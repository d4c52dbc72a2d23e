package eu.gov.intake.submission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eu.gov.intake.catalog.ServiceEntry;
import eu.gov.intake.failure.InvalidApplication;
import eu.gov.intake.failure.InvalidApplication.FieldError;
import eu.gov.intake.failure.PayloadTooLarge;
import eu.gov.intake.failure.Text;
import eu.gov.intake.failure.Text.Lang;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** A submission whose envelope is complete, whose service is open, and whose payload fits the service's schema. */
record Application(ServiceEntry service, String applicantType, String applicantId, String channel, JsonNode applicant,
                   JsonNode payload) {
  static final Set<String> CHANNELS = Set.of("WEB", "MOBILE", "COUNTER", "KIOSK", "PARTNER");
  static final Set<String> APPLICANT_TYPES = Set.of("INDIVIDUAL", "ENTERPRISE");
  private static final Text REQUIRED_STRING = new Text("required: a non-empty string", "必填：非空字符串");

  /** Checks in the order a person would fix them: the envelope, then the service, then the payload. */
  static Application from(Submission.Item item, Function<String, ServiceEntry> openService, Lang lang) {
    JsonNode body = item.body();
    String at = item.pointer();
    if (!body.isObject()) {
      throw new InvalidApplication(List.of(new FieldError(at.isEmpty() ? "" : at, new Text("must be a JSON object", "必须是 JSON 对象").in(lang))));
    }
    var errors = new ArrayList<FieldError>();
    String serviceCode = string(body, "serviceCode", at + "/serviceCode", errors, lang);
    JsonNode applicant = body.get("applicant");
    String type = null;
    String id = null;
    if (applicant == null || !applicant.isObject()) {
      errors.add(new FieldError(at + "/applicant", new Text("required: an object with type and id", "必填：包含 type 和 id 的对象").in(lang)));
    } else {
      type = string(applicant, "type", at + "/applicant/type", errors, lang);
      if (type != null && !APPLICANT_TYPES.contains(type)) errors.add(oneOf(at + "/applicant/type", APPLICANT_TYPES, lang));
      id = string(applicant, "id", at + "/applicant/id", errors, lang);
      if (id != null && id.length() > 64) errors.add(new FieldError(at + "/applicant/id", new Text("at most 64 characters", "最多 64 个字符").in(lang)));
    }
    String channel = string(body, "channel", at + "/channel", errors, lang);
    if (channel != null && !CHANNELS.contains(channel)) errors.add(oneOf(at + "/channel", CHANNELS, lang));
    JsonNode payload = body.get("payload");
    if (payload == null || !payload.isObject()) {
      errors.add(new FieldError(at + "/payload", new Text("required: an object", "必填：对象").in(lang)));
    }
    if (!errors.isEmpty()) throw new InvalidApplication(errors);

    ServiceEntry service = openService.apply(serviceCode);  // UnknownService -> 422 at /serviceCode
    if (item.bodyBytes() > service.maxBodyBytes()) {
      throw new PayloadTooLarge("the application is larger than service " + serviceCode + " allows (" + service.maxBodyBytes() + " bytes)",
          "申请超过事项 " + serviceCode + " 允许的大小（" + service.maxBodyBytes() + " 字节）");
    }
    List<FieldError> payloadErrors = service.payloadSchema().validate(payload, at + "/payload", lang);
    if (!payloadErrors.isEmpty()) throw new InvalidApplication(payloadErrors);
    return new Application(service, type, id, channel, applicant, payload);
  }

  private static String string(JsonNode object, String member, String pointer, List<FieldError> errors, Lang lang) {
    JsonNode value = object.get(member);
    if (value != null && value.isTextual() && !value.asText().isBlank()) return value.asText();
    errors.add(new FieldError(pointer, REQUIRED_STRING.in(lang)));
    return null;
  }

  private static FieldError oneOf(String pointer, Set<String> allowed, Lang lang) {
    String list = String.join(", ", new java.util.TreeSet<>(allowed));
    return new FieldError(pointer, new Text("must be one of " + list, "必须是以下之一：" + list).in(lang));
  }

  /** What identifies "the same application" without a key: serviceCode, applicant and payload (contract section 2). */
  JsonNode content() {
    ObjectNode content = JsonNodeFactory.instance.objectNode();
    content.put("serviceCode", service.code());
    content.set("applicant", applicant);
    content.set("payload", payload);
    return content;
  }
}
