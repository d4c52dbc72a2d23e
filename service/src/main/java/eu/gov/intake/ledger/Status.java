package eu.gov.intake.ledger;

import java.util.EnumSet;
import java.util.Set;

/** An application's lifecycle (contract section 3): the states, and which changes are legal. */
public enum Status {
  ACCEPTED, IN_REVIEW, NEEDS_INFO, APPROVED, REJECTED, WITHDRAWN;

  private static final Set<Status> OPEN = EnumSet.of(ACCEPTED, IN_REVIEW, NEEDS_INFO);

  /** Whether the owning department may move an application from this state to {@code to}. */
  public boolean departmentMay(Status to) {
    return switch (this) {
      case ACCEPTED -> to == IN_REVIEW || to == WITHDRAWN;
      case IN_REVIEW -> to == NEEDS_INFO || to == APPROVED || to == REJECTED || to == WITHDRAWN;
      case NEEDS_INFO -> to == IN_REVIEW || to == WITHDRAWN;
      case APPROVED, REJECTED, WITHDRAWN -> false;   // final
    };
  }

  /** The states from which {@code this} can be reached; the ledger's update is conditional on them. */
  public Set<Status> legalFrom() {
    var from = EnumSet.noneOf(Status.class);
    for (Status s : values()) if (s.departmentMay(this)) from.add(s);
    return from;
  }

  public boolean isOpen() { return OPEN.contains(this); }
}
