package eu.gov.intake.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version and commit this build was made from (written by the build into intake-build.properties). */
public record BuildInfo(String version, String commit) {
  public static BuildInfo read() {
    var properties = new Properties();
    try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream("intake-build.properties")) {
      if (in != null) properties.load(in);
    } catch (IOException e) {
      // an unreadable resource of our own jar: report the build as unknown rather than fail to start
    }
    return new BuildInfo(properties.getProperty("version", "unknown"), properties.getProperty("commit", "unknown"));
  }

  @Override public String toString() { return version + " (commit " + commit + ")"; }
}
