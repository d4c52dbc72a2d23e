package eu.gov.intake.http;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.RawHttp;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Request smuggling (issue 13, item 10; found by load-tests/hostile): a request whose body framing a proxy in
 * front could read otherwise (both Content-Length and Transfer-Encoding, a Transfer-Encoding that is not exactly
 * "chunked") was answered and its connection kept open, so a second request hidden in its body was read and
 * answered too (RFC 9112 section 6.1: the server MUST close the connection after such a request). Now the
 * connection closes after the answer and the hidden request is never answered: that is what this test checks. The
 * answer itself is 400 here because Netty follows the chunked framing, whose body is empty; Intake cannot see that
 * a Content-Length was there too (Netty drops it), so with a whole application in the chunks it would be 202.
 */
@ExtendWith(IntakeTestRun.class)
class RequestSmugglingIT {
  private static final String HIDDEN = "GET /v1/catalog/services HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  @Test
  void aRequestWithAmbiguousFramingIs400AndItsConnectionCloses(TestIntake intake) throws Exception {
    var framings = new LinkedHashMap<String, String>();
    framings.put("length then chunked", "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    framings.put("chunked then length", "Transfer-Encoding: chunked\r\nContent-Length: 50\r\n\r\n0\r\n\r\n");
    framings.put("chunked, then identity", "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    framings.put("an unknown coding", "Transfer-Encoding: xchunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    framings.put("chunked not last", "Transfer-Encoding: chunked, gzip\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    for (var framing : framings.entrySet()) {
      try (var socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", intake.apiPort()), 5000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("POST /v1/applications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Authorization: Bearer " + intake.keyOf("demo-web") + "\r\nIdempotency-Key: smuggle-" + UUID.randomUUID() + "\r\n"
            + framing.getValue() + HIDDEN).getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        var answer = RawHttp.read(socket.getInputStream());
        assertThat(answer.status()).as(framing.getKey()).isEqualTo(400);
        assertThat(new JsonObject(answer.body()).getString("type")).as(framing.getKey()).endsWith("/malformed-request");
        assertThat(socket.getInputStream().read()).as("%s: the connection closed, the hidden request never answered", framing.getKey())
            .isEqualTo(-1);
      }
    }
  }

  /** A plain chunked body is still served: the rule refuses ambiguity, not chunked encoding. */
  @Test
  void aChunkedBodyAloneIsStillAccepted(TestIntake intake) throws Exception {
    String body = eu.gov.intake.testing.Applications.taxReturn(eu.gov.intake.testing.Applications.freshApplicant()).encode();
    var answer = RawHttp.exchange(intake.apiPort(), ("POST /v1/applications HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nAuthorization: Bearer " + intake.keyOf("demo-web") + "\r\nIdempotency-Key: chunked-"
        + UUID.randomUUID() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body
        + "\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    assertThat(answer.status()).as(answer.body()).isEqualTo(202);
  }
}
