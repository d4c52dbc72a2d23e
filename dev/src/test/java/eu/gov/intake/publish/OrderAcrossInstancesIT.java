package eu.gov.intake.publish;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.ExtraIntake;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.PgProbe;
import eu.gov.intake.testing.TestIntake;
import eu.gov.intake.testing.Topic;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Found by the fault suite (issue 15, kafka-broker on CI: 5 order violations): an applicant's application spooled by
 * one instance, and the applicant's next one, accepted after it, published at once by another instance that did not
 * know the spool held anything (it learns from its relay's count, and a pass in an outage is slow), so the later
 * application reached the department first. Here the second instance's relay counts once a minute.
 */
@ExtendWith(IntakeTestRun.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OrderAcrossInstancesIT {
  @Test
  void anApplicantsNextApplicationOnAnotherInstanceWaitsBehindTheOneInTheSpool(TestIntake intake) throws Exception {
    var kafka = intake.servers().kafka().orElseThrow().process();
    try (var other = ExtraIntake.start(intake, Map.of("INTAKE_RELAY_INTERVAL", "60s"));
         var pg = new PgProbe(intake.pgUrl())) {
      pg.awaitSpoolEmpty(Duration.ofSeconds(60));
      String applicant = freshApplicant();
      String first;
      String second;
      kafka.pause();                                      // a broker that stopped answering
      try {
        // the shared instance finds out (a send times out) and spools from then on; the applicant's first goes there
        accepted(intake.apiPort(), intake, taxReturn(freshApplicant()));
        first = accepted(intake.apiPort(), intake, taxReturn(applicant).put("payload",
            new JsonObject().put("taxYear", 2024).put("annualIncome", 1).put("withheldTax", 0)));
        // the next, accepted after it, on an instance whose relay has not counted the spool since before: before the
        // fix it was sent at once, timed out into the spool too, and its send, still in that producer, went out the
        // moment the broker answered again, ahead of the relay's copy of the first
        second = accepted(other.apiPort(), intake, taxReturn(applicant));
      } finally {
        kafka.resume();
      }

      pg.awaitSpoolEmpty(Duration.ofSeconds(60));
      var records = Topic.records(intake.kafkaBootstrap(), "intake.applications.shtax",
          r -> List.of(first, second).contains(Topic.header(r, "ce_id")), 2);
      var firstOffset = records.stream().filter(r -> first.equals(Topic.header(r, "ce_id"))).mapToLong(r -> r.offset()).min().orElseThrow();
      var secondOffset = records.stream().filter(r -> second.equals(Topic.header(r, "ce_id"))).mapToLong(r -> r.offset()).min().orElseThrow();
      assertThat(records.get(0).partition()).isEqualTo(records.get(records.size() - 1).partition());
      assertThat(firstOffset).as("the applicant's first application is on the topic before the next").isLessThan(secondOffset);
    }
  }

  private static String accepted(int port, TestIntake intake, JsonObject application) {
    var response = Http.submit(port, intake.keyOf("demo-web"), "k-" + UUID.randomUUID(), application.encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return new JsonObject(response.body()).getString("applicationId");
  }
}
