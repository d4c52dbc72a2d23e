package eu.gov.intake.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.testing.TestDirs;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C of dev mode ends Maven at once while the Intake it started still drains and then stops its servers;
 * a start right after met the old servers' ports and lock files ("Connection refused" half a minute later).
 * A server of an earlier run on the same data that is still alive is now waited for before the new one starts.
 */
class EarlierRunIT {
  @Test
  void aServerOfAnEarlierRunThatIsStillStoppingIsWaitedForBeforeTheNextStarts() throws Exception {
    var dir = Files.createDirectories(TestDirs.fresh("earlier-run"));
    var log = dir.resolve("server.log");
    // an earlier run's server that takes a moment to go (it ends by itself, as a draining one would): started by
    // another process, as the earlier run's JVM did, so not a child of this one; its pid where that run left it
    var shell = new ProcessBuilder("sh", "-c", "sleep 3 >/dev/null 2>&1 & echo $!").start();
    long pid = Long.parseLong(new String(shell.getInputStream().readAllBytes()).strip());
    shell.waitFor();
    Files.writeString(dir.resolve("server.pid"), Long.toString(pid));
    var earlier = ProcessHandle.of(pid).orElseThrow();
    assertThat(earlier.isAlive()).isTrue();

    var next = new ManagedProcess("server", List.of(), List.of("sleep", "30"), log, "TERM");
    next.start();
    try {
      assertThat(earlier.isAlive()).as("the next server started only once the earlier one had gone").isFalse();
      assertThat(next.isAlive()).isTrue();
    } finally {
      next.stop(Duration.ofSeconds(5));
    }
  }
}
