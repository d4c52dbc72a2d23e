package eu.gov.intake.failure;

/** A status change the lifecycle does not allow from the application's current state (409). */
public final class IllegalTransition extends IntakeFailure {
  public IllegalTransition(String from, String to) {
    super(new Text("an application in status " + from + " cannot move to " + to,
        "状态为 " + from + " 的申请不能变更为 " + to));
  }
}
