package eu.gov.intake;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.config.IntakeConfig;
import eu.gov.intake.testing.Applications;
import eu.gov.intake.testing.Cli;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin command line against the real PostgreSQL: clients and keys, and the catalog in and out. */
@ExtendWith(IntakeTestRun.class)
class AdminIT {
  private static Cli admin(TestIntake intake, String... args) {
    return Cli.on(intake, args);
  }

  @Test
  void aClientCreatedOnTheCommandLineCanSubmitUntilItsKeyIsRevoked(TestIntake intake) throws Exception {
    String id = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    var created = admin(intake, "clients", "create", id, "--channels", "WEB,KIOSK", "--rate", "50", "--burst", "50");
    assertThat(created.exit()).isZero();
    String key = created.out().lines().filter(l -> l.startsWith("ik_")).findFirst().orElseThrow();

    assertThat(Http.submit(intake.apiPort(), key, "k-" + UUID.randomUUID(),
        Applications.taxReturn(Applications.freshApplicant()).encode()).statusCode()).isEqualTo(202);
    assertThat(admin(intake, "clients", "list").out()).contains(id).contains("channels=WEB,KIOSK").contains("rate=50/s")
        .doesNotContain("department=null");

    String prefix = key.substring(3, 11);
    assertThat(admin(intake, "clients", "revoke", prefix).exit()).isZero();
    assertThat(admin(intake, "clients", "revoke", prefix).exit()).isEqualTo(1);
  }

  /**
   * Issue 13, item 7: {@code clients create} on a channel client's id with --department silently made it a
   * department client, and its existing keys with it (a web key could then move SHTAX's applications). Refused.
   */
  @Test
  void aClientKeepsItsKindAndItsKeysKeepWhatTheyMayDo(TestIntake intake) throws Exception {
    String id = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    var created = admin(intake, "clients", "create", id, "--channels", "WEB");
    String key = created.out().lines().filter(l -> l.startsWith("ik_")).findFirst().orElseThrow();

    var turned = admin(intake, "clients", "create", id, "--department", "SHTAX");
    assertThat(turned.exit()).as(turned.err()).isEqualTo(2);
    assertThat(turned.err().strip()).doesNotContain("\n").contains(id).contains("channel client");
    assertThat(turned.out()).doesNotContain("ik_");
    assertThat(admin(intake, "clients", "list").out().lines().filter(l -> l.contains(id)).findFirst().orElseThrow())
        .contains("channels=WEB").doesNotContain("SHTAX");
    assertThat(Http.submit(intake.apiPort(), key, "k-" + UUID.randomUUID(),
        Applications.taxReturn(Applications.freshApplicant()).encode()).statusCode()).isEqualTo(202);

    String dept = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(admin(intake, "clients", "create", dept, "--department", "SHTAX").exit()).isZero();
    var channelled = admin(intake, "clients", "create", dept, "--channels", "WEB");
    assertThat(channelled.exit()).as(channelled.err()).isEqualTo(2);
    assertThat(channelled.err()).contains(dept).contains("department client");
    // the same kind again is a new key for the client, as before (how a key is rotated)
    assertThat(admin(intake, "clients", "create", id, "--channels", "WEB,MOBILE").exit()).isZero();
  }

  @Test
  void aChannelClientLimitedToSomeServicesIsForbiddenTheOthers(TestIntake intake) throws Exception {
    String id = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    var created = admin(intake, "clients", "create", id, "--channels", "WEB,MOBILE", "--services", "SHTAX-0001");
    String key = created.out().lines().filter(l -> l.startsWith("ik_")).findFirst().orElseThrow();

    assertThat(Http.submit(intake.apiPort(), key, "k-" + UUID.randomUUID(),
        Applications.taxReturn(Applications.freshApplicant()).encode()).statusCode()).isEqualTo(202);
    var other = Http.submit(intake.apiPort(), key, "k-" + UUID.randomUUID(),
        Applications.cardReplacement(Applications.freshApplicant()).encode());
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(other.body()).getString("type")).endsWith("/forbidden");
  }

  @Test
  void aCatalogWithASchemaThatDoesNotCompileIsRefusedWhole(TestIntake intake) throws Exception {
    Path file = Files.createTempFile("catalog", ".json");
    var bad = new JsonObject().put("departments", new JsonArray()).put("services", new JsonArray()
        .add(new JsonObject().put("code", "SHTAX-0777").put("departmentCode", "SHTAX").put("category", "taxation")
            .put("names", new JsonObject().put("zh-CN", "测试").put("en", "Test"))
            .put("schema", new JsonObject().put("type", "object").put("properties", new JsonObject().put("a", new JsonObject().put("type", 42))))));
    Files.writeString(file, bad.encode());

    var run = admin(intake, "catalog", "load", file.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("SHTAX-0777").contains("nothing loaded");
    assertThat(Http.get(intake.apiPort(), "/v1/services/SHTAX-0777").statusCode()).isEqualTo(404);
  }

  @Test
  void theCatalogExportsAndLoadsBackUnchanged(TestIntake intake) throws Exception {
    Path file = Files.createTempFile("catalog", ".json");
    assertThat(admin(intake, "catalog", "export", file.toString()).exit()).isZero();
    var exported = new JsonObject(Files.readString(file));
    assertThat(exported.getJsonArray("services").size()).isGreaterThanOrEqualTo(8);
    assertThat(admin(intake, "catalog", "load", file.toString()).out()).contains("loaded");

    Path yaml = Files.createTempFile("catalog", ".yaml");
    Files.writeString(yaml, new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
        .writeValueAsString(new com.fasterxml.jackson.databind.ObjectMapper().readTree(exported.encode())));
    var fromYaml = admin(intake, "catalog", "load", yaml.toString());
    assertThat(fromYaml.exit()).isZero();
    assertThat(fromYaml.out()).contains("loaded " + exported.getJsonArray("departments").size() + " departments");
  }

  @Test
  void aGeneratedReceiptKeyIsAcceptedByTheConfigurationAndItsPublicHalfAsAPreviousKey(TestIntake intake) throws Exception {
    var run = admin(intake, "receipt-key", "generate");
    assertThat(run.exit()).isZero();
    String signing = run.out().lines().filter(l -> l.startsWith("INTAKE_RECEIPT_SIGNING_KEY=")).findFirst().orElseThrow()
        .substring("INTAKE_RECEIPT_SIGNING_KEY=".length());
    String publicKey = run.out().lines().filter(l -> l.startsWith("public key: ")).findFirst().orElseThrow().substring(12);
    var keys = eu.gov.intake.audit.ReceiptKeys.parse(IntakeConfig.DEV_RECEIPT_SIGNING_KEY, List.of(publicKey));
    var current = eu.gov.intake.audit.ReceiptKeys.parse(signing, List.of());
    assertThat(keys.jwks().getJsonArray("keys").getJsonObject(1).getString("kid")).as("the public half names the same key")
        .isEqualTo(current.currentKid());
  }

  @Test
  void badArgumentsAreUsageErrorsOfOneLineThatTouchNothing(TestIntake intake) {
    for (var wrong : java.util.List.of(
        new String[] {"clients", "create", "Not_An_Id", "--channels", "WEB"},
        new String[] {"clients", "create", "cli-bad-channel", "--channels", "WEB,FAX"},
        new String[] {"clients", "create", "cli-no-rate", "--channels", "WEB", "--rate", "0"},
        new String[] {"clients", "create", "cli-no-dept", "--department", "NOSUCHDEPT"},
        new String[] {"clients", "create", "cli-both", "--channels", "WEB", "--department", "SHTAX"},
        new String[] {"clients", "create", "cli-no-service", "--channels", "WEB", "--services", "SHTAX-0001,SHTAX-9999"},
        new String[] {"catalog", "load", "/no/such/catalog.json"})) {
      var run = admin(intake, wrong);
      assertThat(run.exit()).as(String.join(" ", wrong) + ": " + run.err()).isEqualTo(2);
      assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
      assertThat(run.err()).doesNotContain("Exception");
      assertThat(run.out()).isEmpty();
    }
    assertThat(admin(intake, "clients", "list").out()).doesNotContain("cli-no-dept", "cli-bad-channel", "cli-no-rate", "cli-both", "cli-no-service");
  }
}
