package eu.gov.intake.audit;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Signs a receipt as a detached JWS (RFC 7515 appendix F) with EdDSA over Ed25519 (RFC 8037): the payload is the
 * receipt without {@code receiptSignature}, canonicalized by JCS (RFC 8785), and is left out of the compact form,
 * which therefore reads {@code header..signature}. Whoever holds the receipt rebuilds the payload from it.
 */
public final class ReceiptSigner {
  public static final String MEMBER = "receiptSignature";
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private final ReceiptKeys keys;
  private final String header;

  public ReceiptSigner(ReceiptKeys keys) {
    this.keys = keys;
    this.header = B64URL.encodeToString(("{\"alg\":\"EdDSA\",\"kid\":\"" + keys.currentKid() + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  /** The receipt with its {@code receiptSignature} member. */
  public JsonObject signed(JsonObject receipt) {
    byte[] signingInput = (header + '.' + B64URL.encodeToString(Jcs.canonical(receipt))).getBytes(StandardCharsets.US_ASCII);
    var signer = new Ed25519Signer();   // not thread-safe, and cheap: one per signature
    signer.init(true, keys.signing());
    signer.update(signingInput, 0, signingInput.length);
    return receipt.copy().put(MEMBER, header + ".." + B64URL.encodeToString(signer.generateSignature()));
  }
}
