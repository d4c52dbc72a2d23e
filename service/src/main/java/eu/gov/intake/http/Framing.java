package eu.gov.intake.http;

import eu.gov.intake.failure.MalformedRequest;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Request smuggling: a body whose framing a proxy in front could read otherwise. Netty follows Transfer-Encoding
 * over Content-Length and drops the Content-Length header it overrode, so a request that carried both cannot be told
 * apart here from one that was only chunked; RFC 9112 (section 6.1) asks the server to close the connection after
 * such a request. So a chunked request's connection closes after its answer (front ends send a Content-Length; a
 * chunked upload costs one new connection), and a Transfer-Encoding that is not exactly "chunked" (another coding,
 * "chunked" not last, two headers) is 400 and closes it too. A request that was already read behind such a body
 * (pipelined: Vert.x answers it before the close takes effect) is dropped unanswered, never handled.
 */
final class Framing {
  /** Connections that end with their current request; weak: a closed connection leaves by itself. */
  private final Set<HttpConnection> closing = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  void check(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    if (closing.contains(connection)) {
      BodyChunks.releaseOnClose(ctx.request());   // came behind a chunked body: whatever it is, it is not read
      connection.close();
      return;
    }
    List<String> codings = ctx.request().headers().getAll(HttpHeaders.TRANSFER_ENCODING);
    if (codings.isEmpty()) {
      ctx.next();
      return;
    }
    closing.add(connection);
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close").bodyEndHandler(done -> connection.close());
    if (codings.size() != 1 || !codings.getFirst().strip().equalsIgnoreCase("chunked")) {
      ctx.fail(new MalformedRequest("Transfer-Encoding must be exactly \"chunked\" (and not beside a Content-Length)",
          "Transfer-Encoding 只能为 \"chunked\"（且不能与 Content-Length 同时出现）"));
      return;
    }
    ctx.next();
  }
}
