package eu.gov.intake.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The benchmark's ceiling: the same HTTP stack as Intake (Vert.x, a router, a body handler with the same
 * limit) answering 202 to the same request and doing nothing else. Port from the first argument, else 18081.
 */
public final class CeilingServer {
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 18081;
    var vertx = Vertx.vertx(new VertxOptions());
    var router = Router.router(vertx);
    router.post("/v1/applications").handler(BodyHandler.create(false).setBodyLimit(256 * 1024))
        .handler(ctx -> ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
            .end("{\"status\":\"ACCEPTED\"}"));
    vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").await();
    System.out.println("ceiling listening on " + port);
  }
}
