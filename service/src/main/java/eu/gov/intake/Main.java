package eu.gov.intake;

import eu.gov.intake.cli.IntakeCli;

/** {@code bin/intake}: see {@link IntakeCli}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    IntakeCli.main(args);
  }
}
