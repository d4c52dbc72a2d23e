package eu.gov.intake.devservices;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Server binaries that come inside Maven artifacts on the classpath, unpacked once per machine into
 * {@code ~/.cache/intake} (shared by dev mode and every test run) and reused after that.
 */
final class Binaries {
  private static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "intake");
  private static final String REDIS = "redis-server-6.2.6-v5-linux-amd64";
  private static final String POSTGRES = "postgres-linux-x86_64.txz";
  private static final String POSTGRES_VERSION = "17.6.0";

  private Binaries() {}

  /** The redis-server executable from com.github.codemonstur:embedded-redis. */
  static Path redisServer() {
    Path target = CACHE.resolve(REDIS);
    if (Files.isExecutable(target)) return target;
    return publish(target, tmp -> {
      copyResource(REDIS, tmp);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    });
  }

  /** The PostgreSQL install (bin/, lib/, share/) from io.zonky.test.postgres binaries. */
  static Path postgresHome() {
    Path target = CACHE.resolve("postgres-" + POSTGRES_VERSION);
    if (Files.isExecutable(target.resolve("bin/postgres"))) return target;
    return publish(target, tmp -> {
      Files.createDirectories(tmp);
      Path archive = tmp.resolve(POSTGRES);
      copyResource(POSTGRES, archive);
      ManagedProcess.runToCompletion("unpacking PostgreSQL", List.of("tar", "-xJf", archive.toString(), "-C", tmp.toString()),
          tmp.resolveSibling(tmp.getFileName() + ".log"), Duration.ofMinutes(2));
      Files.delete(archive);
    });
  }

  private interface Unpack { void into(Path tmp) throws IOException; }

  /** Unpacks into a private temporary path, then renames: concurrent runs never see half a binary. */
  private static Path publish(Path target, Unpack unpack) {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(CACHE);
      deleteRecursively(tmp);
      unpack.into(tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException anotherRunWasFaster) {
        deleteRecursively(tmp);
      }
      return target;
    } catch (IOException e) {
      throw new DevServiceFailure("cannot unpack " + target.getFileName() + " into " + CACHE + ": " + e.getMessage(), e);
    }
  }

  private static void copyResource(String name, Path to) throws IOException {
    try (InputStream in = Binaries.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) throw new IOException(name + " is not on the classpath (is the dev-services artifact there?)");
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) return;
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
