package eu.gov.intake.testing;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/** Valid demo applications, each for a fresh applicant unless one is given. */
public final class Applications {
  private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 1_000_000);

  private Applications() {}

  public static String freshApplicant() { return "3101011990" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000); }

  /** SHTAX-0001, individual income tax: key required, 600 s dedupe window. */
  public static JsonObject taxReturn(String applicantId) {
    return new JsonObject().put("serviceCode", "SHTAX-0001")
        .put("applicant", new JsonObject().put("type", "INDIVIDUAL").put("id", applicantId))
        .put("channel", "WEB")
        .put("payload", new JsonObject().put("taxYear", 2025).put("annualIncome", 180000).put("withheldTax", 9000));
  }

  /** SHHRSS-0011, social security card replacement: no key required, content dedupe for 600 s. */
  public static JsonObject cardReplacement(String applicantId) {
    return new JsonObject().put("serviceCode", "SHHRSS-0011")
        .put("applicant", new JsonObject().put("type", "INDIVIDUAL").put("id", applicantId))
        .put("channel", "MOBILE")
        .put("payload", new JsonObject().put("reason", "LOST").put("collectionMethod", "COUNTER"));
  }

  /** SHHOUSING-0009, lease registration: no key required and content dedupe switched off (window 0). */
  public static JsonObject leaseRegistration(String applicantId) {
    return new JsonObject().put("serviceCode", "SHHOUSING-0009")
        .put("applicant", new JsonObject().put("type", "INDIVIDUAL").put("id", applicantId))
        .put("channel", "WEB")
        .put("payload", new JsonObject().put("propertyAddress", "上海市静安区南京西路1266号").put("monthlyRent", 6500)
            .put("leaseStart", "2026-12-01").put("leaseEnd", "2027-11-30"));
  }
}
