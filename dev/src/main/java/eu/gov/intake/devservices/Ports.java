package eu.gov.intake.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Ports of the servers of a directory, chosen free on first use and kept there, so a restart binds the same ones. */
final class Ports {
  private Ports() {}

  static int kept(Path dir, String name) {
    Path file = dir.resolve(name);
    try {
      Files.createDirectories(dir);
      if (Files.exists(file)) return Integer.parseInt(Files.readString(file).strip());
      int port = DevServices.freePort();
      Files.writeString(file, Integer.toString(port));
      return port;
    } catch (IOException e) {
      throw new DevServiceFailure("cannot keep a port in " + file + ": " + e.getMessage(), e);
    }
  }

  static Path dir(Path parent, String name) {
    try {
      return Files.createDirectories(parent.resolve(name));
    } catch (IOException e) {
      throw new DevServiceFailure("cannot make " + parent.resolve(name), e);
    }
  }
}
