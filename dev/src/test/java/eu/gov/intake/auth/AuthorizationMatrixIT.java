package eu.gov.intake.auth;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.ApiContract;
import eu.gov.intake.testing.Applications;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.StatusApi;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Contract sections 1 and 3 as a matrix: every kind of key against every action. Submitting a SHTAX-0001 tax
 * return on the WEB channel; reading and updating (to IN_REVIEW) the status of a tax return that the "channel
 * allowed" client submitted; reading the catalog (public: front ends show it before login).
 */
@ExtendWith(IntakeTestRun.class)
class AuthorizationMatrixIT {
  @Test
  void everyKeyKindGetsTheContractsAnswerForEveryAction(TestIntake intake) {
    var pg = new PgProbe(intake.pgUrl());
    var pool = pg.pool();
    try {
      var clients = new Clients(pool);
      var keys = new ApiKeys(pool);
      String run = UUID.randomUUID().toString().substring(0, 6);
      clients.upsertChannel("mx-ok-" + run, List.of("WEB"), 1000, 1000).await();
      clients.upsertChannel("mx-svc-" + run, List.of("WEB"), Optional.of(List.of("SHHRSS-0011")), 1000, 1000).await();
      clients.upsertChannel("mx-chan-" + run, List.of("KIOSK"), 1000, 1000).await();
      clients.upsertChannel("mx-rev-" + run, List.of("WEB"), 1000, 1000).await();
      clients.upsertDepartment("mx-own-" + run, "SHTAX").await();
      clients.upsertDepartment("mx-other-" + run, "SHEDU").await();
      var revoked = keys.issue("mx-rev-" + run).await();
      keys.revoke(revoked.prefix()).await();

      String submitter = keys.issue("mx-ok-" + run).await().value();
      var accepted = Http.submit(intake.apiPort(), submitter, "mx-" + UUID.randomUUID(),
          Applications.taxReturn(Applications.freshApplicant()).encode());
      assertThat(accepted.statusCode()).isEqualTo(202);
      String applicationId = new JsonObject(accepted.body()).getString("applicationId");

      // key kind -> {submit, read status, update status, read catalog}
      var matrix = new LinkedHashMap<String, Map.Entry<String, int[]>>();
      matrix.put("none", Map.entry("", new int[] {401, 401, 401, 200}));
      matrix.put("unknown", Map.entry("ik_AAAAAAAA_" + "A".repeat(43), new int[] {401, 401, 401, 200}));
      matrix.put("revoked", Map.entry(revoked.value(), new int[] {401, 401, 401, 200}));
      matrix.put("channel allowed", Map.entry(submitter, new int[] {202, 200, 403, 200}));
      matrix.put("channel not allowed the service", Map.entry(keys.issue("mx-svc-" + run).await().value(), new int[] {403, 404, 404, 200}));
      matrix.put("channel not allowed the channel", Map.entry(keys.issue("mx-chan-" + run).await().value(), new int[] {403, 404, 404, 200}));
      matrix.put("department other", Map.entry(keys.issue("mx-other-" + run).await().value(), new int[] {403, 404, 404, 200}));
      matrix.put("department own", Map.entry(keys.issue("mx-own-" + run).await().value(), new int[] {403, 200, 200, 200}));

      matrix.forEach((kind, row) -> {
        String key = row.getKey().isEmpty() ? null : row.getKey();
        var submit = Http.submit(intake.apiPort(), key, "mx-" + UUID.randomUUID(),
            Applications.taxReturn(Applications.freshApplicant()).encode());
        assertThat(submit.statusCode()).as("%s: submit", kind).isEqualTo(row.getValue()[0]);
        if (submit.statusCode() == 401) assertThat(submit.headers().firstValue("WWW-Authenticate")).as(kind).hasValue("Bearer");
        var read = StatusApi.readWithApiKey(intake, key, applicationId);
        assertThat(read.statusCode()).as("%s: read status", kind).isEqualTo(row.getValue()[1]);
        ApiContract.assertConforms(read, "getApplication");
        var update = StatusApi.changeWithApiKey(intake, key, applicationId, "{\"status\":\"IN_REVIEW\"}", "mx-" + UUID.randomUUID());
        assertThat(update.statusCode()).as("%s: update status", kind).isEqualTo(row.getValue()[2]);
        ApiContract.assertConforms(update, "changeStatus");
        if (read.statusCode() == 401) assertThat(read.headers().firstValue("WWW-Authenticate")).as(kind).hasValue("Bearer");
        var catalog = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/services/SHTAX-0001"));
        if (key != null) catalog.header("Authorization", "Bearer " + key);
        assertThat(Http.send(catalog).statusCode()).as("%s: read catalog", kind).isEqualTo(row.getValue()[3]);
      });
    } finally {
      pg.close();
    }
  }
}
