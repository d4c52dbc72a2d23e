package eu.gov.intake.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * The Ed25519 key that signs receipts, and the public keys of earlier ones, still published so that receipts
 * signed before a rotation keep verifying (contract section 8). A key's id is its JWK thumbprint (RFC 7638),
 * so it needs no configuration of its own and cannot disagree with the key.
 */
public final class ReceiptKeys {
  private final Ed25519PrivateKeyParameters signing;
  private final Ed25519PublicKeyParameters current;
  private final List<Ed25519PublicKeyParameters> previous;

  private ReceiptKeys(Ed25519PrivateKeyParameters signing, List<Ed25519PublicKeyParameters> previous) {
    this.signing = signing;
    this.current = signing.generatePublicKey();
    this.previous = List.copyOf(previous);
  }

  /**
   * {@code signing}: base64 of the PKCS#8 DER private key (as {@code openssl genpkey -algorithm ed25519 -outform DER}
   * writes it); {@code previous}: base64 of X.509 SubjectPublicKeyInfo DER public keys.
   */
  public static ReceiptKeys parse(String signing, List<String> previous) {
    AsymmetricKeyParameter key;
    try {
      key = PrivateKeyFactory.createKey(Base64.getDecoder().decode(signing.strip()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a base64 PKCS#8 private key");
    }
    if (!(key instanceof Ed25519PrivateKeyParameters ed25519)) throw new IllegalArgumentException("not an Ed25519 key");
    var earlier = new ArrayList<Ed25519PublicKeyParameters>();
    for (String raw : previous) {
      try {
        if (PublicKeyFactory.createKey(Base64.getDecoder().decode(raw.strip())) instanceof Ed25519PublicKeyParameters p) {
          earlier.add(p);
          continue;
        }
      } catch (IOException | RuntimeException e) {
        // reported below
      }
      throw new IllegalArgumentException("a previous key is not a base64 X.509 Ed25519 public key");
    }
    return new ReceiptKeys(ed25519, earlier);
  }

  /** A new key pair: the private key as PKCS#8 and the public key as X.509, both base64 DER. */
  public static String[] generate() {
    var key = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
    try {
      return new String[] {Base64.getEncoder().encodeToString(PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded()),
          Base64.getEncoder().encodeToString(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key.generatePublicKey()).getEncoded())};
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  Ed25519PrivateKeyParameters signing() { return signing; }

  public String currentKid() { return kid(current); }

  /** The JSON Web Key Set of the current and the previous public keys (RFC 8037 OKP keys). */
  public JsonObject jwks() {
    var keys = new JsonArray().add(jwk(current));
    previous.forEach(p -> keys.add(jwk(p)));
    return new JsonObject().put("keys", keys);
  }

  private static JsonObject jwk(Ed25519PublicKeyParameters key) {
    return new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("x", x(key)).put("kid", kid(key))
        .put("alg", "EdDSA").put("use", "sig");
  }

  private static String x(Ed25519PublicKeyParameters key) { return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getEncoded()); }

  /** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
  private static String kid(Ed25519PublicKeyParameters key) {
    String members = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x(key) + "\"}";
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(members.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Safe to log: the key id, never the key. */
  @Override public String toString() { return "ReceiptKeys[kid=" + currentKid() + ", previous=" + previous.size() + "]"; }
}
