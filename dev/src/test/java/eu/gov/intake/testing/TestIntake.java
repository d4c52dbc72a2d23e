package eu.gov.intake.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import eu.gov.intake.devservices.DevServices;

/** What tests see of the one Intake that runs for the whole test run, on real servers. */
public record TestIntake(int apiPort, int managementPort, String kafkaBootstrap, String redisUrl, String pgUrl,
                         JsonArray clients, DevServices servers) {
  public String keyOf(String clientId) {
    return clients.stream().map(JsonObject.class::cast).filter(c -> clientId.equals(c.getString("clientId")))
        .map(c -> c.getString("apiKey")).findFirst().orElseThrow();
  }

  /** The sum of a metric's series on /metrics whose labels include every one given (e.g. {@code outcome="accepted"}). */
  public double metric(String name, String... labels) {
    return Http.get(managementPort, "/metrics").body().lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
