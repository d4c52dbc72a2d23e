package eu.gov.intake.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for tests: what a front end would send, nothing Vert.x-specific. */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  public static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("request failed: " + e, e);
    }
  }

  public static HttpResponse<String> get(int port, String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
  }

  public static HttpResponse<String> submit(int port, String apiKey, String idempotencyKey, String json) {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/applications"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (apiKey != null) request.header("Authorization", "Bearer " + apiKey);
    if (idempotencyKey != null) request.header("Idempotency-Key", idempotencyKey);
    return send(request);
  }
}
