package eu.gov.intake.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Ports and passwords of the servers of a directory, chosen on first use and kept there, one file each, so that a
 * restart binds the same ports and finds the passwords its data was made with.
 */
final class Kept {
  private Kept() {}

  static int port(Path dir, String name) {
    return Integer.parseInt(value(dir, name, () -> Integer.toString(DevServices.freePort())));
  }

  /** Readable by the owner only. */
  static String secret(Path dir, String name) {
    return value(dir, name, () -> {
      byte[] secret = new byte[16];
      new SecureRandom().nextBytes(secret);
      return HexFormat.of().formatHex(secret);
    });
  }

  static Path dir(Path parent, String name) {
    try {
      return Files.createDirectories(parent.resolve(name));
    } catch (IOException e) {
      throw new DevServiceFailure("cannot make " + parent.resolve(name), e);
    }
  }

  private interface Choice { String make() throws IOException; }

  private static String value(Path dir, String name, Choice choice) {
    Path file = dir.resolve(name);
    try {
      Files.createDirectories(dir);
      if (Files.exists(file)) return Files.readString(file).strip();
      String value = choice.make();
      OwnerOnly.write(file, value);
      return value;
    } catch (IOException e) {
      throw new DevServiceFailure("cannot keep " + file + ": " + e.getMessage(), e);
    }
  }
}
