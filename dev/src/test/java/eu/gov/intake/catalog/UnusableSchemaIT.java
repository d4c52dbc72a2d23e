package eu.gov.intake.catalog;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.OperatorIntake;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestDirs;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, item 8: one service whose schema does not compile (here: a lookahead, which an earlier version's engine
 * took and RE2 does not) stopped every start and every refresh of the whole catalog. It is served closed now, said
 * in the log and counted, and the rest of the catalog loads.
 */
@ExtendWith(IntakeTestRun.class)
class UnusableSchemaIT {
  private static final String BROKEN = "SHEEA-0010";

  @Test
  void aServiceWhoseSchemaDoesNotCompileIsServedClosedAndTheRestOfTheCatalogLoads(TestIntake shared) throws Exception {
    var dir = TestDirs.fresh("unusable-schema");
    String pgUrl = PgProbe.freshDatabase(shared.pgUrl(), "unusable_schema");
    var settings = Map.of("INTAKE_KAFKA_BOOTSTRAP", shared.kafkaBootstrap(), "INTAKE_REDIS_URL", shared.redisUrl(),
        "INTAKE_PG_URL", pgUrl, "INTAKE_LEDGER_GROUP", "unusable-schema");
    try (var intake = OperatorIntake.start(dir, settings, "unusable-web", 1000, 1000, env -> {
      try (var pg = new PgProbe(pgUrl)) {
        pg.pool().query("UPDATE services SET payload_schema = '{\"type\": \"object\", \"properties\": {\"x\": "
            + "{\"type\": \"string\", \"pattern\": \"^(?=.*[0-9]).{8,}$\"}}}' WHERE code = '" + BROKEN + "'").execute().await();
      }
    })) {
      var accepted = Http.submit(intake.apiPort(), intake.apiKey(), "unusable-" + UUID.randomUUID(), taxReturn(freshApplicant()).encode());
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      var closed = Http.submit(intake.apiPort(), intake.apiKey(), "unusable-" + UUID.randomUUID(), new JsonObject()
          .put("serviceCode", BROKEN).put("applicant", new JsonObject().put("type", "INDIVIDUAL").put("id", freshApplicant()))
          .put("channel", "WEB").put("payload", new JsonObject()).encode());
      assertThat(closed.statusCode()).as(closed.body()).isEqualTo(422);
      assertThat(new JsonObject(closed.body()).getString("type")).endsWith("/unknown-service");
      assertThat(new JsonObject(Http.get(intake.apiPort(), "/v1/services/" + BROKEN).body()).getBoolean("open")).isFalse();
      assertThat(intake.metric("intake_catalog_services_unusable")).isEqualTo(1);
      assertThat(Files.readString(intake.process().log())).contains("catalog service " + BROKEN + " is unusable");
    }
  }
}
