package eu.gov.intake.http;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.ApiContract;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(IntakeTestRun.class)
class CatalogAndManagementIT {
  @Test
  void catalogListsDepartmentsAndServicesWithTheirSchemas(TestIntake intake) {
    var departmentsResponse = Http.get(intake.apiPort(), "/v1/departments");
    ApiContract.assertConforms(departmentsResponse, "listDepartments");
    assertThat(new JsonObject(departmentsResponse.body()).getInteger("total")).isGreaterThanOrEqualTo(5);
    var servicesResponse = Http.get(intake.apiPort(), "/v1/services");
    ApiContract.assertConforms(servicesResponse, "listServices");
    assertThat(new JsonObject(servicesResponse.body()).getInteger("total")).isGreaterThanOrEqualTo(8);

    var serviceResponse = Http.get(intake.apiPort(), "/v1/services/SHEDU-0005");
    ApiContract.assertConforms(serviceResponse, "getService");
    var service = new JsonObject(serviceResponse.body());
    assertThat(service.getString("departmentCode")).isEqualTo("SHEDU");
    assertThat(service.getJsonObject("names").getString("zh-CN")).isNotBlank();
    assertThat(service.getJsonObject("names").getString("en")).isNotBlank();
    assertThat(service.getJsonObject("schema").getString("$schema")).contains("2020-12");
  }

  @Test
  void unknownServiceIsProblem404(TestIntake intake) {
    var response = Http.get(intake.apiPort(), "/v1/services/NOPE-0000");
    assertThat(response.statusCode()).isEqualTo(404);
    ApiContract.assertConforms(response, "getService");
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
  }

  @Test
  void theOpenApiDescriptionIsServedFromTheRepositorysCopy(TestIntake intake) throws Exception {
    var response = Http.get(intake.apiPort(), "/openapi.yaml");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(java.nio.file.Files.readString(eu.gov.intake.testing.RepoFiles.path("service/src/main/resources/openapi.yaml")));
    assertThat(response.body()).startsWith("openapi: 3.1");
  }

  @Test
  void readinessAnswersForThisProcessAndTheDependenciesAreReportedApart(TestIntake intake) {
    var ready = Http.get(intake.managementPort(), "/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    var checks = new JsonObject(ready.body()).getJsonObject("checks");
    assertThat(checks.getMap()).containsOnlyKeys("started", "catalog", "draining").containsValues("UP");
    assertThat(Http.get(intake.managementPort(), "/health/live").statusCode()).isEqualTo(200);
    assertThat(Http.get(intake.managementPort(), "/health/started").statusCode()).isEqualTo(200);
    // the watch checks every 5 s with a 2 s bound: a check that timed out while an earlier test loaded the
    // shared servers reads as down until the next one answers
    for (String name : java.util.List.of("kafka", "redis", "postgres")) {
      eu.gov.intake.testing.Await.until(name + " reported up", java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(200),
          () -> "UP".equals(new JsonObject(Http.get(intake.managementPort(), "/health/dependencies").body())
              .getJsonObject(name).getString("status")));
      assertThat(intake.metric("intake_dependency_up", "dependency=\"" + name + "\"")).as(name).isEqualTo(1);
    }
    assertThat(intake.metric("intake_build_info", "version=\"0.")).isEqualTo(1);
    assertThat(intake.metric("intake_ready")).isEqualTo(1);
  }

  @Test
  void metricsCountAcceptedSubmissionsAndServeHttpMeters(TestIntake intake) {
    double before = accepted(intake);
    String body = "{\"serviceCode\":\"SHHRSS-0011\",\"applicant\":{\"type\":\"INDIVIDUAL\",\"id\":\"310101197001010011\"},"
        + "\"channel\":\"MOBILE\",\"payload\":{\"reason\":\"LOST\",\"collectionMethod\":\"COUNTER\"}}";
    assertThat(Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "k-" + UUID.randomUUID(), body).statusCode()).isEqualTo(202);

    assertThat(accepted(intake)).isEqualTo(before + 1);
    assertThat(Http.get(intake.managementPort(), "/metrics").body()).contains("vertx_http_server_requests_total");
  }

  private static double accepted(TestIntake intake) {
    return intake.metric("intake_submissions_total", "department=\"SHHRSS\"", "outcome=\"accepted\"");
  }
}
