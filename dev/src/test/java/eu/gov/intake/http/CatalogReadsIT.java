package eu.gov.intake.http;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.ApiContract;
import eu.gov.intake.testing.Applications;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Contract section 4: filters, paging, caching headers, and a catalog change reaching the instance without a restart. */
@ExtendWith(IntakeTestRun.class)
class CatalogReadsIT {
  @Test
  void servicesAreFilteredByDepartmentCategoryAndTextAndPaged(TestIntake intake) {
    var byDepartment = new JsonObject(Http.get(intake.apiPort(), "/v1/services?department=SHAMR").body());
    assertThat(byDepartment.getJsonArray("items")).allSatisfy(s -> assertThat(((JsonObject) s).getString("departmentCode")).isEqualTo("SHAMR"));
    assertThat(byDepartment.getInteger("total")).isEqualTo(byDepartment.getJsonArray("items").size()).isGreaterThanOrEqualTo(3);

    var byCategory = new JsonObject(Http.get(intake.apiPort(), "/v1/services?category=residency").body());
    assertThat(byCategory.getJsonArray("items")).isNotEmpty()
        .allSatisfy(s -> assertThat(((JsonObject) s).getString("category")).isEqualTo("residency"));

    var chinese = Http.get(intake.apiPort(), "/v1/services?q=" + java.net.URLEncoder.encode("公积金", java.nio.charset.StandardCharsets.UTF_8));
    ApiContract.assertConforms(chinese, "listServices");
    assertThat(new JsonObject(chinese.body()).getJsonArray("items")).extracting(s -> ((JsonObject) s).getString("code"))
        .containsExactly("SHHOUSING-0004");
    var english = new JsonObject(Http.get(intake.apiPort(), "/v1/services?q=RESIDENCE").body());
    assertThat(english.getJsonArray("items")).extracting(s -> ((JsonObject) s).getString("code")).contains("SHEEA-0010");

    var all = new JsonObject(Http.get(intake.apiPort(), "/v1/services?size=200").body());
    int total = all.getInteger("total");
    var page1 = new JsonObject(Http.get(intake.apiPort(), "/v1/services?size=5&page=1").body());
    var page2 = new JsonObject(Http.get(intake.apiPort(), "/v1/services?size=5&page=2").body());
    assertThat(page1.getJsonArray("items")).hasSize(5);
    assertThat(page1.getInteger("total")).isEqualTo(total);
    assertThat(page2.getInteger("page")).isEqualTo(2);
    assertThat(page2.getJsonArray("items").getJsonObject(0).getString("code"))
        .isEqualTo(all.getJsonArray("items").getJsonObject(5).getString("code"));
    var beyond = new JsonObject(Http.get(intake.apiPort(), "/v1/services?size=5&page=999").body());
    assertThat(beyond.getJsonArray("items")).isEmpty();

    for (String bad : new String[] {"size=0", "size=201", "page=0", "page=x"}) {
      var response = Http.get(intake.apiPort(), "/v1/services?" + bad);
      assertThat(response.statusCode()).as(bad).isEqualTo(400);
      ApiContract.assertConforms(response, "listServices");
    }
  }

  @Test
  void answersCarryAnETagAndCacheControlAndAnUnchangedOneIs304(TestIntake intake) {
    var first = Http.get(intake.apiPort(), "/v1/departments");
    ApiContract.assertConforms(first, "listDepartments");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertThat(first.headers().firstValue("Cache-Control")).hasValue("public, max-age=30");

    var again = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/departments"))
        .header("If-None-Match", etag));
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    ApiContract.assertConforms(again, "listDepartments");
    assertThat(Http.get(intake.apiPort(), "/v1/services").headers().firstValue("ETag")).isNotEqualTo(first.headers().firstValue("ETag"));
  }

  @Test
  void aServiceClosedInTheDatabaseIsClosedOnTheRunningInstanceWithoutARestart(TestIntake intake) {
    var pg = new PgProbe(intake.pgUrl());
    var pool = pg.pool();
    String etagBefore = Http.get(intake.apiPort(), "/v1/services/SHEDU-0005").headers().firstValue("ETag").orElseThrow();
    try {
      pool.query("UPDATE services SET open = false WHERE code = 'SHEDU-0005'").execute().await();
      boolean closed = false;
      for (int i = 0; i < 300 && !closed; i++) {   // the test instance polls every 500 ms; production every 10 s
        closed = !new JsonObject(Http.get(intake.apiPort(), "/v1/services/SHEDU-0005").body()).getBoolean("open");
        if (!closed) LockSupport.parkNanos(100_000_000);
      }
      assertThat(closed).isTrue();
      assertThat(Http.get(intake.apiPort(), "/v1/services/SHEDU-0005").headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etagBefore));
      var application = Applications.taxReturn(Applications.freshApplicant()).put("serviceCode", "SHEDU-0005");
      var refused = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "k-" + UUID.randomUUID(), application.encode());
      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(new JsonObject(refused.body()).getString("type")).endsWith("/unknown-service");
    } finally {
      pool.query("UPDATE services SET open = true WHERE code = 'SHEDU-0005'").execute().await();
      pg.close();
    }
  }
}
