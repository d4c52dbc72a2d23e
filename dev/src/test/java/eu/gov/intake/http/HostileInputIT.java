package eu.gov.intake.http;

import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.HostileCorpus;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.Offsets;
import eu.gov.intake.testing.RawHttp;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hostile corpus (src/test/resources/hostile/cases.jsonl, made by generate.py beside it): malformed and
 * truncated JSON, invalid UTF-8, deep nesting, huge numbers and strings, wrong content types, oversized bodies
 * with and without Content-Length, header floods, bad keys, broken envelopes. Every answer is the problem+json
 * its case expects (status and type: a case cannot pass on some other 4xx), nothing is published, and the process
 * is still live afterwards.
 */
@ExtendWith(IntakeTestRun.class)
class HostileInputIT {
  @Test
  void everyHostileRequestGetsA4xxProblemAndNothingIsPublished(TestIntake intake) throws Exception {
    Path suiteLog = Path.of(System.getProperty("intake.suite.log"));
    long logBefore = Files.size(suiteLog);
    List<JsonObject> cases = HostileCorpus.cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
    long before = Offsets.published(intake.kafkaBootstrap());
    var wrong = new ArrayList<String>();

    for (int n = 0; n < cases.size(); n++) {
      var spec = cases.get(n);
      var expect = spec.getJsonObject("expect");
      if (expect.getString("type").equals("closed")) {
        // a body whose framing the decoder cannot follow: Vert.x closes the connection, at most a 400 before it
        var answer = RawHttp.exchangeOrClosed(intake.apiPort(), HostileCorpus.request(spec, intake.keyOf("demo-web"), Integer.toString(n)));
        if (answer.isPresent() && !(answer.get().status() == 400 && answer.get().body().contains("/malformed-request"))) {
          wrong.add(spec.getString("name") + " -> " + answer.get().status() + " " + answer.get().body() + ", want 400 or closed");
        }
        continue;
      }
      var response = RawHttp.exchange(intake.apiPort(), HostileCorpus.request(spec, intake.keyOf("demo-web"), Integer.toString(n)));
      boolean problem = response.status() == expect.getInteger("status")
          && String.valueOf(response.header("Content-Type")).startsWith("application/problem+json")
          && response.header("X-Request-Id") != null
          && new JsonObject(response.body()).getInteger("status") == response.status()
          && new JsonObject(response.body()).getString("type").endsWith("/" + expect.getString("type"));
      if (!problem) wrong.add(spec.getString("name") + " -> " + response.status() + " " + response.body() + ", want " + expect.encode());
    }

    assertThat(wrong).as("cases not answered with the problem they call for").isEmpty();
    // bad bytes are the client's fault, never an internal error: each was one, with an ERROR line and a stack trace
    // (a log flood on demand) before ProblemHandler knew the decoder's exceptions
    String written;
    try (var log = java.nio.channels.FileChannel.open(suiteLog)) {   // what this test's requests made Intake log
      var bytes = java.nio.ByteBuffer.allocate((int) (log.size() - logBefore));
      log.read(bytes, logBefore);
      written = new String(bytes.array(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(written).doesNotContain("unexpected failure");
    assertThat(Offsets.published(intake.kafkaBootstrap())).isEqualTo(before);
    assertThat(Http.get(intake.managementPort(), "/health/live").statusCode()).isEqualTo(200);
    assertThat(Http.get(intake.managementPort(), "/health/ready").statusCode()).isEqualTo(200);
  }
}
