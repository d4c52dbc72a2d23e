package eu.gov.intake.testing;

import java.nio.file.Path;

/**
 * A directory of this test run's own under target/it: named for the test, this JVM and the moment, because
 * pids repeat (in a container they are small numbers) and a directory left by an earlier run would bring its
 * data and its servers' ports along.
 */
public final class TestDirs {
  private static final long RUN = System.currentTimeMillis();

  private TestDirs() {}

  public static Path fresh(String name) {
    return Path.of(System.getProperty("intake.test.dir", "target/it"), name + "-" + ProcessHandle.current().pid() + "-" + RUN);
  }
}
