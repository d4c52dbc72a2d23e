package eu.gov.intake.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CatalogGeneratorTest {
  @Test
  void generatesThePortalsScaleWithUniqueCodesAndSchemasThatCompile() {
    var catalog = CatalogGenerator.generate(61, 3622, 42);
    assertThat(catalog.getJsonArray("departments")).hasSize(61);
    var services = catalog.getJsonArray("services");
    assertThat(services).hasSize(3622);
    assertThat(services.stream().map(s -> ((JsonObject) s).getString("code")).collect(Collectors.toSet())).hasSize(3622);
    assertThat(services.stream().map(s -> ((JsonObject) s).getString("code")))
        .allMatch(code -> code.matches("^[A-Z][A-Z0-9]{1,15}-[0-9]{4}$"));
    services.stream().map(JsonObject.class::cast).forEach(s -> PayloadSchema.compile(s.getJsonObject("schema")));
    assertThat(CatalogGenerator.generate(61, 3622, 42)).isEqualTo(catalog);  // deterministic for a seed
  }
}
