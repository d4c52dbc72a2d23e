package eu.gov.intake.http;

import io.vertx.core.http.HttpServerRequest;

/**
 * Works around a leak in Vert.x 5.0.7: the body chunks of a paused request wait in its connection (slices of Netty's
 * pooled direct memory, not yet copied to the heap), and a connection that closes drops them without releasing
 * them. Every submission is paused until it is admitted, and a refused one (401, 503) is answered and its
 * connection closed without reading its body: each leaked what had arrived of it, 45 MB a second of native memory
 * under a siege of slow bodies (SlowClientsIT). Resuming such a request before its connection closes hands the
 * waiting chunks through Vert.x's normal path, which copies and releases them; with no handler the copies are
 * dropped, and the close follows at once.
 */
final class BodyChunks {
  private BodyChunks() {}

  /** For a request whose body will not be read: its waiting chunks are released, not abandoned. */
  static void releaseOnClose(HttpServerRequest request) {
    request.handler(null);
    request.resume();
  }
}
