package eu.gov.intake.cli;

import eu.gov.intake.audit.ReceiptKeys;
import picocli.CommandLine.Command;

@Command(name = "receipt-key", mixinStandardHelpOptions = true, description = "The Ed25519 key that signs receipts.")
final class ReceiptKeyCommand {
  private final IntakeCli.Context context;

  ReceiptKeyCommand(IntakeCli.Context context) { this.context = context; }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Prints a new signing key (for INTAKE_RECEIPT_SIGNING_KEY) and its public key; needs no database.")
  int generate() {
    String[] key = ReceiptKeys.generate();
    context.out().println("# the signing key: a secret, for this deployment's INTAKE_RECEIPT_SIGNING_KEY only");
    context.out().println("INTAKE_RECEIPT_SIGNING_KEY=" + key[0]);
    context.out().println("# its public key: after a rotation, append it to INTAKE_RECEIPT_PREVIOUS_KEYS (comma-separated)");
    context.out().println("# so that receipts signed with it keep verifying");
    context.out().println("public key: " + key[1]);
    return 0;
  }
}
