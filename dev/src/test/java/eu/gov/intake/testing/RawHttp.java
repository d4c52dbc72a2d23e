package eu.gov.intake.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends exact bytes over a socket and reads one HTTP/1.1 response: for what a polite client library will not
 * send (header floods, lying or missing Content-Length, chunked bodies that never end, invalid UTF-8).
 */
public final class RawHttp {
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }
  }

  private RawHttp() {}

  public static Response exchange(int port, byte[] request) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(15_000);
      var out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException serverClosedEarly) {
        // a server may answer (413, 431) and close before reading everything: read what it said
      }
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new AssertionError("no HTTP response: " + e, e);
    }
  }

  /** The answer to these bytes, or empty when the server closed the connection without a byte of one. */
  public static java.util.Optional<Response> exchangeOrClosed(int port, byte[] request) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(15_000);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException serverClosedEarly) {
        // closed while we wrote: read what is there
      }
      var in = new java.io.PushbackInputStream(socket.getInputStream());
      int first = in.read();
      if (first == -1) return java.util.Optional.empty();
      in.unread(first);
      return java.util.Optional.of(read(in));
    } catch (java.net.SocketException reset) {
      return java.util.Optional.empty();
    } catch (IOException e) {
      throw new AssertionError("neither an answer nor a close: " + e, e);
    }
  }

  /** One response from a connection the test wrote to itself. */
  public static Response read(InputStream in) throws IOException {
    var head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      byte[] h = head.toByteArray();
      int n = h.length;
      if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    // any version: an answer carries the one of the request it answers (HTTP/1.0 to one the decoder could not read)
    if (lines.length == 0 || !lines[0].matches("HTTP/\\d\\.\\d \\d{3}.*")) throw new IOException("not an HTTP response: " + head);
    int status = Integer.parseInt(lines[0].substring(9, 12));
    var headers = new LinkedHashMap<String, String>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
    }
    var body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if (length != null) {
      body.write(in.readNBytes(Integer.parseInt(length)));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      readChunked(in, body);
    } else {
      try {
        in.transferTo(body);
      } catch (SocketTimeoutException ignored) {
        // the body ends where the connection stops talking
      }
    }
    return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
  }

  private static void readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
    while (true) {
      var line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') if (c != '\r') line.append((char) c);
      int size = Integer.parseInt(line.toString().split(";")[0].strip(), 16);
      if (size == 0) return;
      body.write(in.readNBytes(size));
      in.readNBytes(2);
    }
  }
}
