package eu.gov.intake.devservices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The broker's own classpath, written by the build (maven-antrun-plugin) to a file. */
final class KafkaClasspath {
  static final String PROPERTY = "intake.kafka.classpath";

  private KafkaClasspath() {}

  static String read() {
    Path file = Path.of(System.getProperty(PROPERTY, "target/kafka-broker.classpath"));
    try {
      String classpath = Files.readString(file).strip();
      if (classpath.isEmpty()) throw new IOException("empty");
      return classpath;
    } catch (IOException e) {
      throw new DevServiceFailure("the Kafka broker classpath " + file + " is missing: start dev mode through "
          + "./mvnw (see README), which writes it", e);
    }
  }
}
