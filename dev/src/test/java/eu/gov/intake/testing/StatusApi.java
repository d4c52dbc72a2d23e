package eu.gov.intake.testing;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

/** The status API as a department system or a front end calls it. */
public final class StatusApi {
  private StatusApi() {}

  public static HttpResponse<String> read(TestIntake intake, String clientId, String applicationId) {
    return readWithApiKey(intake, intake.keyOf(clientId), applicationId);
  }

  /** {@code apiKey} null: no Authorization header. */
  public static HttpResponse<String> readWithApiKey(TestIntake intake, String apiKey, String applicationId) {
    var request = HttpRequest.newBuilder(uri(intake, "/v1/applications/" + applicationId)).GET();
    if (apiKey != null) request.header("Authorization", "Bearer " + apiKey);
    return Http.send(request);
  }

  /** A change with a fresh Idempotency-Key. */
  public static HttpResponse<String> change(TestIntake intake, String clientId, String applicationId, String status, String note) {
    return changeWithKey(intake, clientId, applicationId, new JsonObject().put("status", status).put("note", note).encode(),
        "status-" + UUID.randomUUID());
  }

  public static HttpResponse<String> changeWithKey(TestIntake intake, String clientId, String applicationId, String body,
                                                   String idempotencyKey) {
    return changeWithApiKey(intake, intake.keyOf(clientId), applicationId, body, idempotencyKey);
  }

  /** {@code apiKey} null: no Authorization header. */
  public static HttpResponse<String> changeWithApiKey(TestIntake intake, String apiKey, String applicationId, String body,
                                                      String idempotencyKey) {
    var request = HttpRequest.newBuilder(uri(intake, "/v1/applications/" + applicationId + "/status"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (apiKey != null) request.header("Authorization", "Bearer " + apiKey);
    if (idempotencyKey != null) request.header("Idempotency-Key", idempotencyKey);
    return Http.send(request);
  }

  private static URI uri(TestIntake intake, String path) { return URI.create("http://127.0.0.1:" + intake.apiPort() + path); }
}
