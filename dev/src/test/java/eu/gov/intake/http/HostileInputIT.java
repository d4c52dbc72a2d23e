package eu.gov.intake.http;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.Offsets;
import eu.gov.intake.testing.RawHttp;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hostile corpus (src/test/resources/hostile/cases.jsonl, made by generate.py beside it): malformed and
 * truncated JSON, invalid UTF-8, deep nesting, huge numbers and strings, wrong content types, oversized bodies
 * with and without Content-Length, header floods, bad keys, broken envelopes. Every answer is the problem+json
 * its case expects (status and type: a case cannot pass on some other 4xx), nothing is published, and the process
 * is still live afterwards.
 */
@ExtendWith(IntakeTestRun.class)
class HostileInputIT {
  @Test
  void everyHostileRequestGetsA4xxProblemAndNothingIsPublished(TestIntake intake) throws Exception {
    List<String> lines = Files.readAllLines(Path.of("src/test/resources/hostile/cases.jsonl"));
    assertThat(lines).hasSizeGreaterThanOrEqualTo(200);
    long before = Offsets.published(intake.kafkaBootstrap());
    var wrong = new ArrayList<String>();

    for (int n = 0; n < lines.size(); n++) {
      var spec = new JsonObject(lines.get(n));
      var expect = spec.getJsonObject("expect");
      if (expect.getString("type").equals("closed")) {
        // a body whose framing the decoder cannot follow: Vert.x closes the connection, at most a 400 before it
        var answer = RawHttp.exchangeOrClosed(intake.apiPort(), request(spec, intake.keyOf("demo-web"), n));
        if (answer.isPresent() && !(answer.get().status() == 400 && answer.get().body().contains("/malformed-request"))) {
          wrong.add(spec.getString("name") + " -> " + answer.get().status() + " " + answer.get().body() + ", want 400 or closed");
        }
        continue;
      }
      var response = RawHttp.exchange(intake.apiPort(), request(spec, intake.keyOf("demo-web"), n));
      boolean problem = response.status() == expect.getInteger("status")
          && String.valueOf(response.header("Content-Type")).startsWith("application/problem+json")
          && response.header("X-Request-Id") != null
          && new JsonObject(response.body()).getInteger("status") == response.status()
          && new JsonObject(response.body()).getString("type").endsWith("/" + expect.getString("type"));
      if (!problem) wrong.add(spec.getString("name") + " -> " + response.status() + " " + response.body() + ", want " + expect.encode());
    }

    assertThat(wrong).as("cases not answered with the problem they call for").isEmpty();
    // bad bytes are the client's fault, never an internal error: each was one, with an ERROR line and a stack trace
    // (a log flood on demand) before ProblemHandler knew the decoder's exceptions
    assertThat(Files.readString(Path.of(System.getProperty("intake.suite.log")))).doesNotContain("unexpected failure");
    assertThat(Offsets.published(intake.kafkaBootstrap())).isEqualTo(before);
    assertThat(Http.get(intake.managementPort(), "/health/live").statusCode()).isEqualTo(200);
    assertThat(Http.get(intake.managementPort(), "/health/ready").statusCode()).isEqualTo(200);
  }

  private static byte[] request(JsonObject spec, String apiKey, int n) {
    byte[] body = Base64.getDecoder().decode(spec.getString("body"));
    var pad = spec.getJsonObject("pad");
    if (pad != null) {
      String text = new String(body, StandardCharsets.UTF_8);
      body = text.replace("@@PAD@@", pad.getString("char").repeat(pad.getInteger("count"))).getBytes(StandardCharsets.UTF_8);
    }
    var head = new StringBuilder("POST /v1/applications HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if (spec.getString("contentType") != null) head.append("Content-Type: ").append(spec.getString("contentType")).append("\r\n");
    for (Object header : spec.getJsonArray("headers")) {
      head.append(((String) header).replace("{{KEY}}", apiKey).replace("{{N}}", Integer.toString(n))).append("\r\n");
    }
    var out = new ByteArrayOutputStream();
    String framing = spec.getString("framing");
    if (framing.startsWith("chunk-size:")) {
      head.append("Transfer-Encoding: chunked\r\n\r\n").append(framing.substring(11)).append("\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
      out.writeBytes(body);
      out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else if (framing.equals("chunked")) {
      head.append("Transfer-Encoding: chunked\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < body.length; i += 8192) {
        int len = Math.min(8192, body.length - i);
        out.writeBytes((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, i, len);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else {
      String length = framing.startsWith("claim:") ? framing.substring(6) : Integer.toString(body.length);
      head.append("Content-Length: ").append(length).append("\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
      out.writeBytes(body);
    }
    return out.toByteArray();
  }
}
