package eu.gov.intake;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.testing.Cli;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.StatusApi;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Contract section 8's audit half: the ledger's history is a hash chain per department, and
 * {@code intake ledger verify} finds a changed, a removed and a truncated entry. SHEDU's chain is this test's
 * own (no other test records SHEDU applications); every tampering is undone before the next one.
 */
@ExtendWith(IntakeTestRun.class)
class LedgerVerifyIT {
  private static final String ENTRY_COLUMNS = "seq, event_id, application_id, status, note, at, by_client, department_code, chain_seq, prev_hash, hash";

  /** What JCS escapes and what it leaves as it is, so that the trigger's and the verifier's forms must agree. */
  private static final String NOTE = "\"quoted\" \\ tab\t bell\u0007 del\u007f sep\u2028 李明 😀 </script>";

  @Test
  void theChainVerifiesAndEveryKindOfTamperingIsFound(TestIntake intake) throws Exception {
    var ids = new ArrayList<String>();
    for (int i = 0; i < 4; i++) ids.add(submitEnrolment(intake));
    try (var pg = new PgProbe(intake.pgUrl())) {
      pg.awaitInLedger(ids, Duration.ofSeconds(60));
      var changed = StatusApi.change(intake, "dept-shedu", ids.get(1), "IN_REVIEW", NOTE);
      assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
      long entries = pg.count("SELECT count(*) FROM application_history WHERE department_code = 'SHEDU'");
      assertThat(entries).isGreaterThanOrEqualTo(ids.size() + 1);

      var intact = verify(intake);
      assertThat(intact.exit()).as(intact.out()).isZero();
      assertThat(intact.out()).contains("SHEDU: " + entries + " entries, chain intact");

      // an entry changed after it was written: the note of the IN_REVIEW entry
      String inReview = "SELECT " + ENTRY_COLUMNS + " FROM application_history WHERE application_id = '" + ids.get(1) + "' AND status = 'IN_REVIEW'";
      var original = row(pg, inReview);
      pg.pool().query("UPDATE application_history SET note = 'approved by phone' WHERE seq = " + original.getLong("seq")).execute().await();
      var forged = verify(intake);
      assertThat(forged.exit()).isEqualTo(1);
      assertThat(forged.out()).contains("BROKEN").contains("entry " + original.getLong("chain_seq"))
          .contains("does not match its hash");
      pg.pool().preparedQuery("UPDATE application_history SET note = $1 WHERE seq = $2").execute(Tuple.of(NOTE, original.getLong("seq"))).await();
      assertThat(verify(intake).exit()).isZero();

      // an entry removed from the middle: the ACCEPTED entry of the first application
      var removed = row(pg, "SELECT " + ENTRY_COLUMNS + " FROM application_history WHERE event_id = '" + ids.get(0) + "'");
      delete(pg, removed);
      var gap = verify(intake);
      assertThat(gap.exit()).isEqualTo(1);
      assertThat(gap.out()).contains("entry " + removed.getLong("chain_seq") + " is missing");
      putBack(pg, removed);
      assertThat(verify(intake).exit()).isZero();

      // the newest entry removed: the chain's head still names it
      var newest = row(pg, "SELECT " + ENTRY_COLUMNS + " FROM application_history WHERE department_code = 'SHEDU' ORDER BY chain_seq DESC LIMIT 1");
      delete(pg, newest);
      var truncated = verify(intake);
      assertThat(truncated.exit()).isEqualTo(1);
      assertThat(truncated.out()).contains("were removed");
      putBack(pg, newest);
      var again = verify(intake);
      assertThat(again.exit()).as(again.out()).isZero();
    }
  }

  private static String submitEnrolment(TestIntake intake) {
    var body = new JsonObject().put("serviceCode", "SHEDU-0005")
        .put("applicant", new JsonObject().put("type", "INDIVIDUAL").put("id", freshApplicant())).put("channel", "WEB")
        .put("payload", new JsonObject().put("child", new JsonObject().put("name", "李小明").put("birthDate", "2019-05-01")
            .put("idNumber", "310101201905010011")).put("grade", "PRIMARY_1").put("district", "黄浦区").put("householdRegistration", "LOCAL"));
    var response = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), "lv-" + UUID.randomUUID(), body.encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getString("applicationId");
  }

  private static Cli verify(TestIntake intake) {
    return Cli.on(intake, "ledger", "verify", "SHEDU");
  }

  private static Row row(PgProbe pg, String sql) {
    return pg.pool().query(sql).execute().await().iterator().next();
  }

  private static void delete(PgProbe pg, Row entry) {
    pg.pool().preparedQuery("DELETE FROM application_history WHERE seq = $1").execute(Tuple.of(entry.getLong("seq"))).await();
  }

  /** Back as it was, past the chain's trigger (which would append it as a new entry): replica mode skips triggers. */
  private static void putBack(PgProbe pg, Row entry) {
    pg.pool().withTransaction(conn -> conn.query("SET LOCAL session_replication_role = replica").execute()
        .compose(v -> conn.preparedQuery("INSERT INTO application_history (" + ENTRY_COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
            .execute(Tuple.of(entry.getLong("seq"), entry.getString("event_id"), entry.getUUID("application_id"), entry.getString("status"),
                entry.getString("note"), entry.getOffsetDateTime("at"), entry.getString("by_client"), entry.getString("department_code"))
                .addLong(entry.getLong("chain_seq")).addBuffer(entry.getBuffer("prev_hash")).addBuffer(entry.getBuffer("hash"))))).await();
  }
}
