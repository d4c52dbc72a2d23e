package eu.gov.intake.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract check itself must be able to fail, or the tests that use it prove nothing. */
class ApiContractTest {
  private static final Map<String, String> JSON = Map.of("Content-Type", "application/json", "X-Request-Id", "r-1",
      "Location", "/v1/applications/01a21262-2415-732e-88c4-38f465b62adc");
  private static final String RECEIPT = "{\"applicationId\":\"01a21262-2415-732e-88c4-38f465b62adc\",\"status\":\"ACCEPTED\","
      + "\"serviceCode\":\"SHTAX-0001\",\"departmentCode\":\"SHTAX\",\"receivedAt\":\"2026-11-25T11:05:51.381227601Z\","
      + "\"receiptProof\":{\"treeSize\":2,\"leafIndex\":1,\"auditPath\":[\"47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU\"]},"
      + "\"receiptSignature\":\"eyJhbGciOiJFZERTQSJ9..c2lnbmF0dXJl\"}";

  @Test
  void aDocumentedResponsePasses() {
    assertThatCode(() -> ApiContract.assertConforms("submitApplication", 202, JSON, RECEIPT)).doesNotThrowAnyException();
  }

  @Test
  void undocumentedStatusesBodiesHeadersAndMediaTypesFail() {
    assertThatThrownBy(() -> ApiContract.assertConforms("submitApplication", 418, JSON, RECEIPT)).hasMessageContaining("not documented");
    assertThatThrownBy(() -> ApiContract.assertConforms("submitApplication", 202, JSON, RECEIPT.replace("ACCEPTED", "MAYBE")))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> ApiContract.assertConforms("submitApplication", 202, JSON,
        RECEIPT.replaceAll(",\"receiptSignature\":\"[^\"]*\"", ""))).hasMessageContaining("receiptSignature");
    assertThatThrownBy(() -> ApiContract.assertConforms("submitApplication", 202, JSON, RECEIPT.replace("\"leafIndex\":1", "\"leafIndex\":-1")))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> ApiContract.assertConforms("submitApplication", 202,
        Map.of("Content-Type", "application/json", "Location", JSON.get("Location")), RECEIPT))
        .hasMessageContaining("X-Request-Id");
    assertThatThrownBy(() -> ApiContract.assertConforms("submitApplication", 400, JSON, "{}")).hasMessageContaining("content type");
  }
}
