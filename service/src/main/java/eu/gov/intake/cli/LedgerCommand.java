package eu.gov.intake.cli;

import eu.gov.intake.audit.LedgerChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "ledger", mixinStandardHelpOptions = true, description = "The ledger of applications and their status history.")
final class LedgerCommand {
  private final IntakeCli.Context context;

  LedgerCommand(IntakeCli.Context context) { this.context = context; }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Recomputes a department's hash chain from its first entry; exit 1 if an entry was changed or removed.")
  int verify(@Parameters(paramLabel = "<DEPARTMENT>", description = "a department code, e.g. SHTAX") String department) {
    try (var db = Database.open(context.env())) {
      var verdict = LedgerChain.verify(db.pool, department).await();
      context.out().println(verdict.intact()
          ? verdict.department() + ": " + verdict.entries() + " entries, chain intact, head " + verdict.head()
              + (verdict.startsAfter() > 0 ? " (checked from entry " + (verdict.startsAfter() + 1) + ": the ones before were removed by "
                  + "INTAKE_LEDGER_RETENTION)" : "")
          : verdict.department() + ": BROKEN after entry " + verdict.entries() + ": " + verdict.problem());
      return verdict.intact() ? 0 : 1;
    }
  }
}
