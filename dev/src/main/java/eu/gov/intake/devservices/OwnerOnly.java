package eu.gov.intake.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read (mode 0600): the demo keys in dev.json, the dev servers' passwords, the estate's
 * secrets. A new one is created with that mode, so there is no moment in which another user of the machine could
 * open it; one left by an older version gets the mode before it is written again.
 */
public final class OwnerOnly {
  private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnly() {}

  public static Path write(Path file, String content) throws IOException {
    if (Files.exists(file)) {
      Files.setPosixFilePermissions(file, MODE);
    } else {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(MODE));
    }
    return Files.writeString(file, content);
  }
}
