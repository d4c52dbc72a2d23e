package eu.gov.intake.auth;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Applications;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
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
 * Contract section 1 as a matrix: every kind of key against every action that exists so far. Submitting a
 * SHTAX-0001 tax return on the WEB channel, and reading the catalog (public: front ends show it before login).
 * Reading and updating an application's status join the matrix with the status API (issue 6).
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

      // key kind -> {submit, read catalog}
      var matrix = new LinkedHashMap<String, Map.Entry<String, int[]>>();
      matrix.put("none", Map.entry("", new int[] {401, 200}));
      matrix.put("unknown", Map.entry("ik_AAAAAAAA_" + "A".repeat(43), new int[] {401, 200}));
      matrix.put("revoked", Map.entry(revoked.value(), new int[] {401, 200}));
      matrix.put("channel allowed", Map.entry(keys.issue("mx-ok-" + run).await().value(), new int[] {202, 200}));
      matrix.put("channel not allowed the service", Map.entry(keys.issue("mx-svc-" + run).await().value(), new int[] {403, 200}));
      matrix.put("channel not allowed the channel", Map.entry(keys.issue("mx-chan-" + run).await().value(), new int[] {403, 200}));
      matrix.put("department own", Map.entry(keys.issue("mx-own-" + run).await().value(), new int[] {403, 200}));
      matrix.put("department other", Map.entry(keys.issue("mx-other-" + run).await().value(), new int[] {403, 200}));

      matrix.forEach((kind, row) -> {
        String key = row.getKey().isEmpty() ? null : row.getKey();
        var submit = Http.submit(intake.apiPort(), key, "mx-" + UUID.randomUUID(),
            Applications.taxReturn(Applications.freshApplicant()).encode());
        assertThat(submit.statusCode()).as("%s: submit", kind).isEqualTo(row.getValue()[0]);
        if (submit.statusCode() == 401) assertThat(submit.headers().firstValue("WWW-Authenticate")).as(kind).hasValue("Bearer");
        var catalog = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/services/SHTAX-0001"));
        if (key != null) catalog.header("Authorization", "Bearer " + key);
        assertThat(Http.send(catalog).statusCode()).as("%s: read catalog", kind).isEqualTo(row.getValue()[1]);
      });
    } finally {
      pg.close();
    }
  }
}
