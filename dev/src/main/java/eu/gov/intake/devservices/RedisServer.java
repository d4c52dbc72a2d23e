package eu.gov.intake.devservices;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real Redis with an append-only file, so its records survive SIGKILL and restart. */
final class RedisServer implements DevServer {
  private final int port;
  private final ManagedProcess process;

  RedisServer(Path dir, int port) {
    this.port = port;
    this.process = new ManagedProcess("redis", List.of(), List.of(Binaries.redisServer().toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "yes",
        "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
        "--daemonize", "no", "--logfile", ""), dir.resolve("redis.log"), "TERM");
  }

  @Override public void start() {
    process.start();
    process.awaitPort(port, Duration.ofSeconds(30));
  }

  @Override public ManagedProcess process() { return process; }

  @Override public String endpoint() { return "redis://127.0.0.1:" + port; }
}
