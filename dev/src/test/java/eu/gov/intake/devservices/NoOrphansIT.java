package eu.gov.intake.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When the JVM that started the dev servers dies, even by SIGKILL, its servers die with it. */
class NoOrphansIT {
  @Test
  void serversDieWithAKilledJvm() throws Exception {
    Path dir = Files.createDirectories(eu.gov.intake.testing.TestDirs.fresh("orphans"));
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    var probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-D" + KafkaClasspath.PROPERTY + "=" + System.getProperty(KafkaClasspath.PROPERTY),
        "-cp", classpath, DevServicesProbe.class.getName(), dir.toString())
        .redirectError(dir.resolve("probe.err").toFile()).start();
    List<Long> pids;
    try (var out = new BufferedReader(new InputStreamReader(probe.getInputStream()))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("PIDS "));
      assertThat(line).as("probe output; see " + dir.resolve("probe.err")).isNotNull();
      pids = Arrays.stream(line.substring(5).split(" ")).map(Long::parseLong).toList();
    }
    assertThat(pids).hasSize(3).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isPresent());
    assertThat(ProcessHandle.of(pids.get(0)).flatMap(p -> p.parent()).map(ProcessHandle::pid)).hasValue(probe.pid());

    probe.destroyForcibly();                                   // SIGKILL: no shutdown hook runs
    assertThat(probe.waitFor(10, TimeUnit.SECONDS)).isTrue();

    for (long pid : pids) {
      var handle = ProcessHandle.of(pid);
      if (handle.isPresent()) handle.get().onExit().get(15, TimeUnit.SECONDS);
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("server pid %d", pid).isEmpty();
    }
    // nothing else is left in the process table that runs from the probe's data directory
    assertThat(ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .map(p -> p.info().commandLine().orElse("")).filter(cmd -> cmd.contains(dir.toString()))).isEmpty();
  }
}
