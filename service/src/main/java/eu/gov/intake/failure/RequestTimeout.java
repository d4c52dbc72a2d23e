package eu.gov.intake.failure;

/** The request body did not arrive within its deadline: a client too slow, or one holding a slot on purpose (408). */
public final class RequestTimeout extends IntakeFailure {
  public RequestTimeout() {
    super(new Text("the request body did not arrive in time", "请求体未能及时送达"));
  }
}
