package eu.gov.intake.http;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.ExtraIntake;
import eu.gov.intake.testing.TestIntake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, item 8: the management port (metrics, health) bound where the API did, so an instance open to the
 * internet served its metrics there too. It has an address of its own now, loopback unless set.
 */
@ExtendWith(IntakeTestRun.class)
class ManagementHostIT {
  @Test
  void theManagementPortListensOnLoopbackUnlessToldOtherwiseWhateverTheApiDoes(TestIntake shared) throws Exception {
    try (var intake = ExtraIntake.start(shared, Map.of("INTAKE_HTTP_HOST", "0.0.0.0"))) {
      assertThat(listeningAddress(intake.apiPort())).hasValue("0.0.0.0");
      assertThat(listeningAddress(intake.app().managementPort())).hasValue("127.0.0.1");
    }
    try (var intake = ExtraIntake.start(shared, Map.of("INTAKE_HTTP_HOST", "127.0.0.1", "INTAKE_MANAGEMENT_HOST", "0.0.0.0"))) {
      assertThat(listeningAddress(intake.apiPort())).hasValue("127.0.0.1");
      assertThat(listeningAddress(intake.app().managementPort())).hasValue("0.0.0.0");
    }
  }

  /**
   * The IPv4 address a listening socket on this port is bound to, from the kernel's tables: the JDK may listen on
   * an IPv6 socket, where 0.0.0.0 is {@code ::} and 127.0.0.1 is {@code ::ffff:127.0.0.1}.
   */
  private static Optional<String> listeningAddress(int port) throws Exception {
    String hexPort = String.format(Locale.ROOT, "%04X", port);
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      for (String line : Files.readAllLines(Path.of(table))) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[1].endsWith(":" + hexPort) || !f[3].equals("0A")) continue;   // 0A: LISTEN
        String address = f[1].substring(0, f[1].indexOf(':'));
        if (address.equals("0".repeat(32))) return Optional.of("0.0.0.0");                   // ::, every address
        long ip = Long.parseLong(address.substring(address.length() - 8), 16);               // the IPv4 part, little-endian
        return Optional.of((ip & 0xff) + "." + (ip >> 8 & 0xff) + "." + (ip >> 16 & 0xff) + "." + (ip >> 24 & 0xff));
      }
    }
    return Optional.empty();
  }
}
