package eu.gov.intake.migration;

import java.util.List;

/**
 * The schema a database holds against the one this code knows: the newest version applied and known, the files
 * still to apply, the versions applied that this code does not know (a newer Intake migrated this database and
 * an older one was rolled back onto it), and the applied files whose text is no longer what was applied.
 */
public record SchemaState(int applied, int known, List<String> pending, List<String> unknown, List<String> changed) {
  public boolean current() { return pending.isEmpty() && unknown.isEmpty() && changed.isEmpty(); }

  /** One line for an operator: both versions, and what to do. */
  public String problem() {
    if (!changed.isEmpty()) {
      return "applied migrations were edited since (" + String.join(", ", changed) + "): the schema is not the one these files "
          + "describe; restore the files as applied, and put changes in a new migration";
    }
    if (!unknown.isEmpty()) {
      return "the database schema is at version " + applied + ", newer than this Intake's " + known + " ("
          + String.join(", ", unknown) + " unknown here): run the Intake version that migrated it, or a newer one";
    }
    if (!pending.isEmpty()) {
      return "the database schema is at version " + applied + ", this Intake needs " + known + " (" + pending.size()
          + " pending): run `intake migrate` first";
    }
    return "the database schema is at version " + applied + ", as this Intake needs";
  }
}
