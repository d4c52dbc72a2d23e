package eu.gov.intake.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Passwords the dev servers are made with, chosen once and kept beside their data so a restart finds them. */
final class Secrets {
  private Secrets() {}

  static String kept(Path dir, String name) {
    Path file = dir.resolve(name);
    try {
      Files.createDirectories(dir);
      if (Files.exists(file)) return Files.readString(file).strip();
      byte[] secret = new byte[16];
      new SecureRandom().nextBytes(secret);
      String value = HexFormat.of().formatHex(secret);
      Files.writeString(file, value);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return value;
    } catch (IOException e) {
      throw new DevServiceFailure("cannot keep " + file + ": " + e.getMessage(), e);
    }
  }
}
