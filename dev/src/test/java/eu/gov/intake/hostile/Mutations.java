package eu.gov.intake.hostile;

import static eu.gov.intake.hostile.HostileVolume.ascii;
import static eu.gov.intake.hostile.HostileVolume.concat;
import static eu.gov.intake.hostile.HostileVolume.utf8;

import eu.gov.intake.testing.HostileCorpus;
import eu.gov.intake.testing.RawHttp;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The hostile requests of {@link HostileVolume}: a case of the hostile corpus ({@code hostile/cases.jsonl}), then
 * one mutation of it, chosen at random. Each goes on a connection of its own and is answered (or not) there.
 */
final class Mutations {
  /** What to send, and whether the client half-closes after it (a body that will never be complete). */
  record Attack(String kind, byte[] bytes, boolean halfClose) {}

  private static final int KINDS = 16;

  private Mutations() {}

  static Attack next(SplittableRandom random, List<JsonObject> corpus, String key, int n) {
    var spec = corpus.get(random.nextInt(corpus.size()));
    byte[] body = HostileCorpus.body(spec);
    String idem = "Idempotency-Key: hostile-" + n + "-" + random.nextInt(1 << 30) + "\r\n";
    String auth = "Authorization: Bearer " + key + "\r\n";
    return switch (random.nextInt(KINDS)) {
      case 0 -> new Attack("corpus", HostileCorpus.request(spec, key, "v" + n), false);
      case 1 -> new Attack("byte-flips", post(auth + idem, flip(random, body)), false);
      case 2 -> new Attack("truncated", post(auth + idem, java.util.Arrays.copyOf(body, random.nextInt(body.length + 1))), false);
      // a length that claims more than is ever sent, then the client stops writing
      case 3 -> new Attack("lying-length", concat(head(auth + idem, "Content-Length: " + (body.length + 1 + random.nextInt(10_000)) + "\r\n"), body), true);
      case 4 -> new Attack("oversized", post(auth + idem, concat(utf8("{\"pad\":\""), filled(300 * 1024 + random.nextInt(100_000), (byte) 'a'), utf8("\"}"))), false);
      case 5 -> new Attack("huge-header", post(auth + idem + "X-Big: " + "b".repeat(9_000 + random.nextInt(60_000)) + "\r\n", body), false);
      case 6 -> new Attack("many-headers", post(auth + idem + "X-Many: m\r\n".repeat(200 + random.nextInt(2_000)), body), false);
      case 7 -> new Attack("invalid-utf8", post(auth + idem, invalidUtf8(random, body)), false);
      case 8 -> new Attack("unicode-edges", post(auth + idem, utf8(UNICODE_EDGES[random.nextInt(UNICODE_EDGES.length)])), false);
      case 9 -> new Attack("absurd-numbers", post(auth + idem, utf8(ABSURD_NUMBERS[random.nextInt(ABSURD_NUMBERS.length)])), false);
      case 10 -> new Attack("deep-nesting", post(auth + idem, deep(random)), false);
      case 11 -> new Attack("smuggling", smuggle(random, auth + idem), true);
      case 12 -> new Attack("garbage", garbage(random), true);
      case 13 -> new Attack("request-line", requestLine(random, auth + idem), false);
      case 14 -> new Attack("bad-key", post("Authorization: Bearer ik_live_" + Long.toHexString(random.nextLong()) + "_" + "z".repeat(random.nextInt(60)) + "\r\n"
          + idem, body), false);
      default -> new Attack("pipelined", concat(post(auth + idem, body), post(auth + "Idempotency-Key: hostile-second-" + n + "\r\n", flip(random, body))), false);
    };
  }

  /**
   * Sends it on a connection of its own; the answer as "status type" (e.g. "400 malformed-request"), "closed"
   * when the server hung up without an answer, "timeout" when it said nothing within 40 s.
   */
  static String send(int port, Attack attack) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(40_000);
      try {
        socket.getOutputStream().write(attack.bytes());
        socket.getOutputStream().flush();
        if (attack.halfClose()) socket.shutdownOutput();
      } catch (IOException answeredEarly) {
        // a server may answer (413, 431, 401) and close before reading everything: read what it said
      }
      return answer(socket.getInputStream());
    } catch (SocketTimeoutException e) {
      return "timeout";
    } catch (IOException e) {
      return e.getMessage() != null && e.getMessage().contains("Connection refused") ? "connect refused" : "closed";
    }
  }

  private static String answer(InputStream raw) throws IOException {
    var in = new java.io.PushbackInputStream(raw);
    int first = in.read();
    if (first == -1) return "closed";
    in.unread(first);
    RawHttp.Response response;
    try {
      response = RawHttp.read(in);
    } catch (SocketTimeoutException stillWaiting) {
      throw stillWaiting;
    } catch (IOException notHttp) {
      return "not HTTP";
    }
    String type = "-";
    try {
      String t = new JsonObject(response.body()).getString("type", "-");
      type = t.substring(t.lastIndexOf('/') + 1);
    } catch (RuntimeException notJson) {
      // a non-problem answer: its status says enough
    }
    return response.status() + " " + type;
  }

  private static byte[] head(String headers, String framing) {
    return ascii("POST /v1/applications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + headers + framing + "\r\n");
  }

  private static byte[] post(String headers, byte[] body) {
    return concat(head(headers, "Content-Length: " + body.length + "\r\n"), body);
  }

  private static byte[] flip(SplittableRandom random, byte[] body) {
    byte[] out = body.clone();
    for (int i = 0, flips = 1 + random.nextInt(5); i < flips && out.length > 0; i++) {
      out[random.nextInt(out.length)] = (byte) random.nextInt(256);
    }
    return out;
  }

  private static byte[] filled(int length, byte b) {
    byte[] out = new byte[length];
    java.util.Arrays.fill(out, b);
    return out;
  }

  private static final byte[][] BAD_UTF8 = {
      {(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80},
      {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};

  private static byte[] invalidUtf8(SplittableRandom random, byte[] body) {
    int at = body.length == 0 ? 0 : random.nextInt(body.length);
    return concat(java.util.Arrays.copyOf(body, at), BAD_UTF8[random.nextInt(BAD_UTF8.length)],
        java.util.Arrays.copyOfRange(body, at, body.length));
  }

  private static final String ENVELOPE = "{\"serviceCode\":\"SHTAX-0001\",\"channel\":\"WEB\",\"applicant\":{\"type\":\"INDIVIDUAL\",\"id\":%s},"
      + "\"payload\":{\"taxYear\":%s,\"annualIncome\":%s,\"withheldTax\":9000}}";

  private static final String[] UNICODE_EDGES = {
      String.format(ENVELOPE, "\"3101011990\\u0000123456\"", "2025", "1"),
      String.format(ENVELOPE, "\"\\ud800\\udc00\\ud800\"", "2025", "1"),
      "\uFEFF" + String.format(ENVELOPE, "\"310101199001011234\"", "2025", "1"),
      String.format(ENVELOPE, "\"310101199001011234\u202E\"", "2025", "1"),
      String.format(ENVELOPE, "\"\uFFFF\uFFFE\uDBFF\uDFFF\"", "2025", "1"),
      String.format(ENVELOPE, "\"\\u0031\\u0030\"", "2025", "1"),
      String.format(ENVELOPE, "\"" + "\u0301".repeat(5000) + "\"", "2025", "1"),
      String.format(ENVELOPE, "\"\uD83D\uDE00\uD83D\uDE00\"", "2025", "1"),
      "{\"serviceCode\":\"SHTAX-0001\",\"serviceCode\":\"SHHRSS-0011\"}",
      "{\"\\u0000\":1}"};

  private static final String[] ABSURD_NUMBERS = {
      String.format(ENVELOPE, "\"310101199001011234\"", "1e99999", "1"),
      String.format(ENVELOPE, "\"310101199001011234\"", "2025", "-1e-99999"),
      String.format(ENVELOPE, "\"310101199001011234\"", "2025", "1" + "0".repeat(5000)),
      String.format(ENVELOPE, "\"310101199001011234\"", "2025.0000000000000000000001", "1"),
      String.format(ENVELOPE, "\"310101199001011234\"", "-0", "NaN"),
      String.format(ENVELOPE, "\"310101199001011234\"", "2025", "Infinity"),
      String.format(ENVELOPE, "310101199001011234", "2025", "0x10"),
      String.format(ENVELOPE, "\"310101199001011234\"", "9223372036854775808", "-9223372036854775809")};

  private static byte[] deep(SplittableRandom random) {
    int depth = 1_000 + random.nextInt(50_000);
    char open = random.nextBoolean() ? '[' : '{';
    var text = new StringBuilder("{\"serviceCode\":\"SHTAX-0001\",\"payload\":");
    for (int i = 0; i < depth; i++) text.append(open == '[' ? "[" : "{\"a\":");
    text.append("1");
    for (int i = 0; i < depth; i++) text.append(open == '[' ? "]" : "}");
    return utf8(text.append("}").toString());
  }

  /** Conflicting framings, and a second request hidden behind the first. */
  private static byte[] smuggle(SplittableRandom random, String headers) {
    String hidden = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    String start = "POST /v1/applications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + headers;
    return ascii(switch (random.nextInt(8)) {
      case 0 -> start + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + hidden;
      case 1 -> start + "Transfer-Encoding: chunked\r\nContent-Length: 50\r\n\r\n0\r\n\r\n" + hidden;
      case 2 -> start + "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}" + hidden;
      case 3 -> start + "Transfer-Encoding: xchunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" + hidden;
      case 4 -> start + "Transfer-Encoding : chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" + hidden;
      case 5 -> start + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n{}\r\n0\r\n\r\n";
      case 6 -> start + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n2\r\n{}\r\n0\r\n\r\n" + hidden;
      default -> start + "Content-Length: -5\r\n\r\n" + hidden;
    });
  }

  private static byte[] garbage(SplittableRandom random) {
    byte[] out = new byte[50 + random.nextInt(4_000)];
    for (int i = 0; i < out.length; i++) out[i] = (byte) random.nextInt(256);
    return out;
  }

  private static byte[] requestLine(SplittableRandom random, String headers) {
    String tail = "Host: 127.0.0.1\r\n" + headers + "Content-Length: 2\r\n\r\n{}";
    return ascii(switch (random.nextInt(6)) {
      case 0 -> "POST /v1/applications?" + "q".repeat(5_000 + random.nextInt(30_000)) + " HTTP/1.1\r\n" + tail;
      case 1 -> "BREW /v1/applications HTTP/1.1\r\n" + tail;
      case 2 -> "GET /\r\n\r\n";
      case 3 -> "POST http://evil.example/v1/applications HTTP/1.1\r\n" + tail;
      case 4 -> "POST /v1/applications/../../etc/passwd HTTP/1.1\r\n" + tail;
      default -> "POST /v1/applications HTTP/7.0\r\n" + tail;
    });
  }
}
