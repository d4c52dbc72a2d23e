package eu.gov.intake.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks real responses against the OpenAPI 3.1 document in the repository (src/main/resources/openapi.yaml):
 * the status is one the operation documents, the content type is one it lists, the required headers are
 * there and match their schemas, and the body validates against the response schema (OpenAPI 3.1 schemas
 * are JSON Schema 2020-12, checked here by the same validator Intake uses for payloads). vertx-openapi 5.0
 * cannot do this: it refuses the application/problem+json media type.
 */
public final class ApiContract {
  private static final String BASE = "https://intake.test/openapi.json";
  private static final JsonNode DOCUMENT;
  private static final SchemaRegistry REGISTRY;

  static {
    try {
      DOCUMENT = new YAMLMapper().readTree(RepoFiles.path("service/src/main/resources/openapi.yaml").toFile());
      String json = new ObjectMapper().writeValueAsString(DOCUMENT);
      REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b.schemas(Map.of(BASE, json)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ApiContract() {}

  public static void assertConforms(HttpResponse<String> response, String operationId) {
    var headers = new java.util.TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
    response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
    assertConforms(operationId, response.statusCode(), headers, response.body());
  }

  public static void assertConforms(String operationId, int status, Map<String, String> headers, String body) {
    var named = new java.util.TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);   // header names know no case
    named.putAll(headers);
    headers = named;
    String operation = find(operationId);
    String responsePointer = operation + "/responses/" + status;
    if (at(responsePointer).isMissingNode()) responsePointer = operation + "/responses/default";
    if (at(responsePointer).isMissingNode()) fail(operationId, status, "the status is not documented", body);
    responsePointer = followRef(responsePointer);
    for (Iterator<Map.Entry<String, JsonNode>> it = at(responsePointer + "/headers").fields(); it.hasNext(); ) {
      var header = it.next();
      String headerPointer = followRef(responsePointer + "/headers/" + escape(header.getKey()));
      String value = headers.get(header.getKey());
      if (value == null) {
        if (at(headerPointer + "/required").asBoolean(false)) fail(operationId, status, "header " + header.getKey() + " is missing", body);
        continue;
      }
      validate(headerPointer + "/schema", new ObjectMapper().getNodeFactory().textNode(value), operationId, status, body);
    }
    JsonNode content = at(responsePointer + "/content");
    if (content.isMissingNode()) return;
    String mediaType = headers.getOrDefault("Content-Type", "").split(";")[0].strip();
    if (!content.has(mediaType)) fail(operationId, status, "content type " + mediaType + " is not documented", body);
    try {
      validate(responsePointer + "/content/" + escape(mediaType) + "/schema",
          mediaType.endsWith("json") ? new ObjectMapper().readTree(body) : new ObjectMapper().getNodeFactory().textNode(body),
          operationId, status, body);
    } catch (IOException e) {
      fail(operationId, status, "the body is not JSON", body);
    }
  }

  private static void validate(String schemaPointer, JsonNode value, String operationId, int status, String body) {
    var errors = REGISTRY.getSchema(SchemaLocation.of(BASE + "#" + schemaPointer)).validate(value);
    if (!errors.isEmpty()) fail(operationId, status, schemaPointer + ": " + errors, body);
  }

  private static String find(String operationId) {
    for (Iterator<Map.Entry<String, JsonNode>> paths = DOCUMENT.get("paths").fields(); paths.hasNext(); ) {
      var path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        var op = ops.next();
        if (operationId.equals(op.getValue().path("operationId").asText())) return "/paths/" + escape(path.getKey()) + "/" + op.getKey();
      }
    }
    throw new AssertionError("no operation " + operationId + " in openapi.yaml");
  }

  private static String followRef(String pointer) {
    JsonNode ref = at(pointer + "/$ref");
    return ref.isTextual() ? followRef(ref.asText().substring(1)) : pointer;
  }

  private static JsonNode at(String pointer) { return DOCUMENT.at(pointer); }

  private static String escape(String segment) { return segment.replace("~", "~0").replace("/", "~1"); }

  private static void fail(String operationId, int status, String why, String body) {
    throw new AssertionError(operationId + " answered " + status + " outside openapi.yaml: " + why + "\n" + body);
  }
}
