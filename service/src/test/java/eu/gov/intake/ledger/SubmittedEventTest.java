package eu.gov.intake.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The ledger's reading of a submitted event: five top-level fields, the nested application skipped. */
class SubmittedEventTest {
  @Test
  void readsTheTopLevelFieldsAndSkipsTheApplication() throws IOException {
    var event = Buffer.buffer("""
        {"applicationId":"0196f0a0-0000-7000-8000-000000000001","status":"ACCEPTED","serviceCode":"SHTAX-0001",
         "departmentCode":"SHTAX","receivedAt":"2026-11-25T12:50:02.200836Z","channel":"WEB","clientId":"demo-web",
         "applicant":{"type":"INDIVIDUAL","id":"310101199001010001","serviceCode":"NOT-THIS"},
         "payload":{"items":[{"applicationId":"not-this-either"}],"taxYear":2025}}""");
    var submitted = LedgerStore.Submitted.of(event);
    assertThat(submitted).isEqualTo(new LedgerStore.Submitted("0196f0a0-0000-7000-8000-000000000001", "SHTAX-0001", "SHTAX",
        "demo-web", Instant.parse("2026-11-25T12:50:02.200836Z")));
  }

  @Test
  void anEventWithoutItsIdsIsRefused() {
    assertThatThrownBy(() -> LedgerStore.Submitted.of(Buffer.buffer("{\"serviceCode\":\"SHTAX-0001\"}")))
        .isInstanceOf(IOException.class).hasMessageContaining("applicationId");
    assertThatThrownBy(() -> LedgerStore.Submitted.of(Buffer.buffer("[1,2]"))).isInstanceOf(IOException.class);
  }
}
