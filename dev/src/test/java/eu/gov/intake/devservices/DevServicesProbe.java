package eu.gov.intake.devservices;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** A JVM that starts all three dev servers, prints their pids, and waits to be killed (see {@link NoOrphansIT}). */
public final class DevServicesProbe {
  public static void main(String[] args) throws InterruptedException {
    var vertx = Vertx.vertx();
    var services = DevServices.start(vertx, Path.of(args[0]), new DevServices.Wanted(true, true, true)).await();
    System.out.println("PIDS " + services.kafka().orElseThrow().process().pid() + " "
        + services.redis().orElseThrow().process().pid() + " " + services.postgres().orElseThrow().process().pid());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
