package eu.gov.intake.testing;

import java.nio.file.Path;

/** Files of the repository that belong to no module (grafana/, README.md) or to another one (openapi.yaml). */
public final class RepoFiles {
  private RepoFiles() {}

  public static Path path(String relative) {
    return Path.of(System.getProperty("intake.root", "..")).resolve(relative);
  }
}
