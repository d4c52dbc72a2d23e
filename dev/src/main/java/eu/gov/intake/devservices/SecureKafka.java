package eu.gov.intake.devservices;

import java.nio.file.Path;
import java.util.Map;

/**
 * A Kafka broker that takes clients over SASL_SSL only (SCRAM-SHA-512, user {@code intake}), with a certificate of
 * the test run's own CA: what a secured cluster asks of every client Intake makes.
 */
public final class SecureKafka implements AutoCloseable {
  public static final String USER = "intake";
  private final KafkaServer broker;
  private final Certificates certificates;
  private final String password;

  private SecureKafka(KafkaServer broker, Certificates certificates, String password) {
    this.broker = broker;
    this.certificates = certificates;
    this.password = password;
  }

  public static SecureKafka start(Path dir, Certificates certificates) {
    String password = Kept.secret(dir, "scram.password");
    var broker = KafkaServer.secured(Kept.dir(dir, "broker"), Kept.port(dir, "port"), Kept.port(dir, "controller.port"),
        KafkaClasspath.read(), certificates, USER, password);
    broker.start();
    return new SecureKafka(broker, certificates, password);
  }

  public String bootstrap() { return broker.endpoint(); }

  public String password() { return password; }

  public Certificates certificates() { return certificates; }

  public KafkaServer broker() { return broker; }

  /** What a Kafka client needs to connect as {@code user} with {@code password}, trusting {@code trustStore}. */
  public Map<String, Object> clientProperties(String user, String password, Path trustStore) {
    return Map.of("bootstrap.servers", bootstrap(), "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
            + "\" password=\"" + password + "\";",
        "ssl.truststore.type", "PKCS12", "ssl.truststore.location", trustStore.toString(),
        "ssl.truststore.password", certificates.storePassword());
  }

  public Map<String, Object> clientProperties() { return clientProperties(USER, password, certificates.trustStore()); }

  @Override public void close() { broker.stop(); }
}
