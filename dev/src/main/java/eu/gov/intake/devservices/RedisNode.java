package eu.gov.intake.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One redis-server of Debian's Redis 7 (the embedded 6.2 binary has no TLS) from a config file: a node of a
 * cluster, a master or replica behind Sentinel, a sentinel, or a TLS server. The config is written once: Sentinel
 * and Redis Cluster rewrite their own files, and a restart must find what they wrote.
 */
public final class RedisNode {
  static final Path DEBIAN_REDIS = Path.of("/usr/bin/redis-server");
  private final Path dir;
  private final int port;
  private final ManagedProcess process;

  RedisNode(String name, Path dir, int port, String config, boolean sentinel) {
    if (!Files.isExecutable(DEBIAN_REDIS)) {
      throw new DevServiceFailure("Redis 7 is needed at " + DEBIAN_REDIS + " for TLS, Sentinel and Cluster: apt-get install redis-server");
    }
    this.dir = dir;
    this.port = port;
    Path file = dir.resolve(sentinel ? "sentinel.conf" : "redis.conf");
    try {
      if (!Files.exists(file)) Files.writeString(file, config + "\ndir " + dir + "\ndaemonize no\nlogfile \"\"\n");
    } catch (IOException e) {
      throw new DevServiceFailure("cannot write " + file, e);
    }
    var command = new java.util.ArrayList<>(List.of(DEBIAN_REDIS.toString(), file.toString()));
    if (sentinel) command.add("--sentinel");
    this.process = new ManagedProcess(name, List.of(), command, dir.resolve(name + ".log"), "TERM");
  }

  public void start() {
    process.start();
    process.awaitPort(port, Duration.ofSeconds(30));
  }

  public void stop() { process.stop(Duration.ofSeconds(10)); }

  public ManagedProcess process() { return process; }

  public int port() { return port; }

  Path dir() { return dir; }

  /** redis-cli against this node (plain TCP); its output, or a failure naming the command. */
  String cli(String... args) {
    var command = new java.util.ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
    command.addAll(List.of(args));
    try {
      var p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out;
    } catch (IOException e) {
      throw new DevServiceFailure("cannot run redis-cli: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevServiceFailure("redis-cli interrupted", e);
    }
  }
}
