package eu.gov.intake.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The API port served by several event loops: one server instance per loop, all on the same port, Vert.x
 * spreading the connections over them. One loop is one core at most, and the API's work (parsing,
 * validation, hashing, Redis and Kafka calls) outgrows one core long before the machine does.
 */
public final class ApiServers {
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  /**
   * Deploys {@code instances} servers on {@code port}; Vert.x shares one listening socket among the servers of
   * one host and port. It does not for port 0 (each would get a port of its own), so port 0 (tests: any free
   * port) is first turned into a free port.
   */
  public Future<ApiServers> start(Vertx vertx, String host, int port, int instances, ConnectionGuard connections,
                                  Supplier<Router> router) {
    return (port != 0 ? Future.succeededFuture(port) : vertx.executeBlocking(() -> freePort(host)))
        .compose(chosen -> deploy(vertx, host, chosen, instances, connections, router));
  }

  private static int freePort(String host) throws java.io.IOException {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  private Future<ApiServers> deploy(Vertx vertx, String host, int port, int instances, ConnectionGuard connections,
                                    Supplier<Router> router) {
    return vertx.deployVerticle(() -> new VerticleBase() {
      @Override public Future<?> start() {
        var routes = router.get();
        return ApiRouter.server(vertx, host, port, connections).requestHandler(request -> {
          connections.arrived(request);
          routes.handle(request);
        }).listen().onSuccess(servers::add);
      }
    }, new DeploymentOptions().setInstances(instances)).map(id -> {
      if (servers.stream().map(HttpServer::actualPort).distinct().count() != 1) {
        throw new IllegalStateException("the API servers did not share one port");
      }
      return this;
    });
  }

  public int actualPort() { return servers.get(0).actualPort(); }

  /** Each server stops taking connections and lets the requests it holds finish, within the timeout. */
  public Future<Void> shutdown(long timeoutMillis) {
    return Future.join(servers.stream().map(s -> s.shutdown(timeoutMillis, TimeUnit.MILLISECONDS)).toList()).mapEmpty();
  }
}
