package eu.gov.intake.devservices;

import java.time.Duration;

/** One of the three servers dev mode and the tests run for real. Every method blocks. */
public interface DevServer {
  /** Prepares the data directory on first use, starts the process and waits until it listens. */
  void start();

  ManagedProcess process();

  /** How Intake reaches it: a bootstrap list, a redis:// or a postgresql:// URL. */
  String endpoint();

  default void stop() { process().stop(Duration.ofSeconds(10)); }

  /** A crash and a restart over the same data. */
  default void killAndRestart() {
    process().kill();
    start();
  }
}
