package eu.gov.intake.testing;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The hostile corpus ({@code hostile/cases.jsonl}, made by {@code generate.py} beside it): its cases, and the exact
 * bytes of each as a request, for HostileInputIT (each once, its answer checked) and the hostile run under
 * load-tests (each mutated, at volume).
 */
public final class HostileCorpus {
  private HostileCorpus() {}

  public static List<JsonObject> cases() {
    try (InputStream in = HostileCorpus.class.getClassLoader().getResourceAsStream("hostile/cases.jsonl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The case's body as it is sent: base64-decoded, its @@PAD@@ filled in. */
  public static byte[] body(JsonObject spec) {
    byte[] body = Base64.getDecoder().decode(spec.getString("body"));
    var pad = spec.getJsonObject("pad");
    if (pad == null) return body;
    return new String(body, StandardCharsets.UTF_8).replace("@@PAD@@", pad.getString("char").repeat(pad.getInteger("count")))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The whole request: {{KEY}} is {@code apiKey}, {{N}} is {@code n}, the body framed as the case says. */
  public static byte[] request(JsonObject spec, String apiKey, String n) {
    byte[] body = body(spec);
    var head = new StringBuilder("POST /v1/applications HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if (spec.getString("contentType") != null) head.append("Content-Type: ").append(spec.getString("contentType")).append("\r\n");
    for (Object header : spec.getJsonArray("headers")) {
      head.append(((String) header).replace("{{KEY}}", apiKey).replace("{{N}}", n)).append("\r\n");
    }
    var out = new ByteArrayOutputStream();
    String framing = spec.getString("framing");
    if (framing.startsWith("chunk-size:")) {
      out.writeBytes((head + "Transfer-Encoding: chunked\r\n\r\n" + framing.substring(11) + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(body);
      out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else if (framing.equals("chunked")) {
      out.writeBytes((head + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < body.length; i += 8192) {
        int len = Math.min(8192, body.length - i);
        out.writeBytes((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, i, len);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else {
      String length = framing.startsWith("claim:") ? framing.substring(6) : Integer.toString(body.length);
      out.writeBytes((head + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(body);
    }
    return out.toByteArray();
  }
}
