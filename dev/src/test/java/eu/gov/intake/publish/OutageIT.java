package eu.gov.intake.publish;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.leaseRegistration;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka dies (SIGKILL) in the middle of the day: four front ends keep submitting, every application gets its
 * 202 through the PostgreSQL spool, and once the broker is back every acknowledged application is on its
 * department's topic, in each applicant's order, no ce_id with two different contents, and in the ledger.
 */
@ExtendWith(IntakeTestRun.class)
// servers stopped, killed and started again: longer than the default bound of a test, still bounded
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OutageIT {
  private static final int CLIENTS = 4;
  private static final int APPLICANTS_PER_CLIENT = 25;
  private static final int APPLICATIONS_PER_APPLICANT = 6;   // 4 x 25 x 6 = 600 applications

  /** One acknowledged application: which applicant, which topic, in what order that applicant sent it. */
  private record Acked(String applicationId, String client, String applicant, String topic, int nth) {}

  @Test
  void everyApplicationAcceptedDuringAnOutageReachesItsTopicInOrderAndTheLedger(TestIntake intake) throws Exception {
    var kafka = intake.servers().kafka().orElseThrow();
    var acked = new ConcurrentHashMap<String, Acked>();
    kafka.process().kill();                                   // SIGKILL: no clean shutdown of the broker
    try (var pool = Executors.newFixedThreadPool(CLIENTS); var pg = new PgProbe(intake.pgUrl())) {
      var clients = new ArrayList<Future<?>>();
      for (int c = 0; c < CLIENTS; c++) {
        boolean counter = c % 2 == 1;
        clients.add(pool.submit(() -> submitAll(intake, counter, acked)));
      }
      for (var client : clients) client.get();
      assertThat(acked).hasSize(CLIENTS * APPLICANTS_PER_CLIENT * APPLICATIONS_PER_APPLICANT);
      assertThat(pg.count("SELECT count(*) FROM spool WHERE published_at IS NULL AND ce_type = 'gov.intake.application.submitted.v1'"))
          .as("with the broker dead, every 202 came from the spool").isGreaterThanOrEqualTo(acked.size());
      assertSpoolHoldsNoApplicationInClear(pg, acked.values());

      // a status read right after the 202 finds a spooled application
      var one = acked.values().iterator().next();
      var status = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/applications/"
          + one.applicationId())).header("Authorization", "Bearer " + intake.keyOf(one.client())).GET());
      assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
      assertThat(new JsonObject(status.body()).getString("status")).isEqualTo("ACCEPTED");

      kafka.start();
      pg.awaitSpoolEmpty(Duration.ofSeconds(120));

      for (String topic : List.of("intake.applications.shtax", "intake.applications.shhousing")) {
        var expected = acked.values().stream().filter(a -> a.topic().equals(topic)).toList();
        var ids = expected.stream().map(Acked::applicationId).collect(java.util.stream.Collectors.toSet());
        var records = Topic.records(intake.kafkaBootstrap(), topic, r -> ids.contains(Topic.header(r, "ce_id")), expected.size());
        assertEveryOneOnceInApplicantOrder(expected, records);
      }
      pg.awaitInLedger(acked.keySet(), Duration.ofSeconds(60));
    } finally {
      if (!kafka.process().isAlive()) kafka.start();
    }
  }

  /**
   * Issue 13, item 5: the spool held every application as its JSON event, applicant id and payload readable by
   * whoever could read the database or its backups. Now no row of these applications starts as JSON ('{'), nor
   * holds any of their applicant ids anywhere in its bytes.
   */
  private static void assertSpoolHoldsNoApplicationInClear(PgProbe pg, java.util.Collection<Acked> acked) {
    Object ids = acked.stream().map(a -> UUID.fromString(a.applicationId())).toArray(UUID[]::new);
    Object applicants = acked.stream().map(Acked::applicant).distinct().toArray(String[]::new);
    assertThat(pg.count("SELECT count(*) FROM spool WHERE application_id = ANY($1) AND get_byte(value, 0) = 123", ids))
        .as("spooled rows whose bytes are a JSON document").isZero();
    assertThat(pg.count("SELECT count(*) FROM spool s, unnest($2::text[]) a WHERE s.application_id = ANY($1) "
            + "AND position(convert_to(a, 'UTF8') in s.value) > 0", ids, applicants))
        .as("spooled rows with an applicant id in their bytes").isZero();
    // the README's query of which key a row is under (rotation): no key is set here, so the derived one
    assertThat(pg.count("SELECT count(*) FROM spool WHERE application_id = ANY($1) AND get_byte(value, 0) = 1 AND "
        + "convert_from(substring(value from 3 for get_byte(value, 1)), 'SQL_ASCII') = 'derived'", ids)).isEqualTo(acked.size());
  }

  private static void submitAll(TestIntake intake, boolean counter, Map<String, Acked> acked) {
    String client = counter ? "demo-counter" : "demo-web";
    String key = intake.keyOf(client);
    String[] applicants = new String[APPLICANTS_PER_CLIENT];
    Arrays.setAll(applicants, i -> freshApplicant());
    for (int n = 0; n < APPLICATIONS_PER_APPLICANT; n++) {
      for (String applicant : applicants) {                  // each applicant's next one only after the last 202
        boolean tax = n % 2 == 0;
        var body = tax ? taxReturn(applicant) : leaseRegistration(applicant);
        if (tax) body.getJsonObject("payload").put("taxYear", 2020 + n);
        else body.getJsonObject("payload").put("monthlyRent", 6000 + n);
        body.put("channel", counter ? "COUNTER" : "WEB");
        var response = Http.submit(intake.apiPort(), key, "outage-" + UUID.randomUUID(), body.encode());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = new JsonObject(response.body()).getString("applicationId");
        acked.put(id, new Acked(id, client, applicant, tax ? "intake.applications.shtax" : "intake.applications.shhousing", n));
      }
    }
  }

  private static void assertEveryOneOnceInApplicantOrder(List<Acked> expected, List<ConsumerRecord<String, byte[]>> records) {
    // first sighting of each ce_id, in partition order; a later twin must carry the very same bytes
    var firstSeen = new LinkedHashMap<String, ConsumerRecord<String, byte[]>>();
    var byPartition = new HashMap<Integer, List<String>>();
    records.stream().sorted(java.util.Comparator.comparingInt((ConsumerRecord<String, byte[]> r) -> r.partition())
            .thenComparingLong(ConsumerRecord::offset))
        .forEach(r -> {
          String id = Topic.header(r, "ce_id");
          var earlier = firstSeen.putIfAbsent(id, r);
          if (earlier != null) {
            assertThat(r.value()).as("twin of %s", id).isEqualTo(earlier.value());
          } else {
            byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(id);
          }
        });
    assertThat(firstSeen.keySet()).containsExactlyInAnyOrderElementsOf(expected.stream().map(Acked::applicationId).toList());
    // per applicant: the order in its partition is the order it was accepted in
    var position = new HashMap<String, Integer>();
    byPartition.values().forEach(ids -> { for (int i = 0; i < ids.size(); i++) position.put(ids.get(i), i); });
    expected.stream().collect(java.util.stream.Collectors.groupingBy(Acked::applicant)).forEach((applicant, apps) -> {
      var inOrder = apps.stream().sorted(java.util.Comparator.comparingInt(Acked::nth)).map(a -> position.get(a.applicationId())).toList();
      assertThat(inOrder).as("positions of applicant %s's applications", applicant).isSorted();
    });
  }
}
