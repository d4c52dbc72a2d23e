package eu.gov.intake.audit;

import static eu.gov.intake.testing.Applications.freshApplicant;
import static eu.gov.intake.testing.Applications.taxReturn;
import static org.assertj.core.api.Assertions.assertThat;

import eu.gov.intake.IntakeTestRun;
import eu.gov.intake.testing.ApiContract;
import eu.gov.intake.testing.Http;
import eu.gov.intake.testing.TestIntake;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Contract section 8, checked as a citizen's or a department's own software would, by the README's recipe: the
 * receipt's leaf (a canonical form this test builds itself) and its audit path give the Merkle tree's root (RFC
 * 9162's verification algorithm, written here a second time), and the detached JWS over that tree's head verifies
 * with the JDK's Ed25519 (not the library Intake signs with) against the key published at GET /v1/receipt-keys;
 * a changed receipt or proof does not verify.
 */
@ExtendWith(IntakeTestRun.class)
class ReceiptIT {
  private static final Base64.Decoder B64URL = Base64.getUrlDecoder();
  private static final Base64.Encoder B64URL_ENCODER = Base64.getUrlEncoder().withoutPadding();

  @Test
  void aReceiptVerifiesWithThePublishedKeyAndAChangedOneDoesNot(TestIntake intake) throws Exception {
    String key = "rc-" + UUID.randomUUID();
    String body = taxReturn(freshApplicant()).encode();
    var response = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, body);
    assertThat(response.statusCode()).isEqualTo(202);
    ApiContract.assertConforms(response, "submitApplication");
    var receipt = new JsonObject(response.body());
    var keys = receiptKeys(intake);

    assertThat(verifies(receipt, keys)).as("the receipt as received").isTrue();
    assertThat(verifies(receipt.copy().put("status", "APPROVED"), keys)).as("status changed").isFalse();
    assertThat(verifies(receipt.copy().put("receivedAt", "2020-01-01T00:00:00Z"), keys)).as("time changed").isFalse();
    assertThat(verifies(receipt.copy().put("departmentCode", "SHAMR"), keys)).as("department changed").isFalse();
    assertThat(verifies(receipt.copy().put("applicationId", UUID.randomUUID().toString()), keys)).as("id changed").isFalse();
    var proof = receipt.getJsonObject("receiptProof");
    assertThat(verifies(withProof(receipt, proof.copy().put("treeSize", proof.getLong("treeSize") + 1)), keys))
        .as("tree size changed").isFalse();
    assertThat(verifies(withProof(receipt, proof.copy().put("leafIndex", proof.getLong("leafIndex") + 1)), keys))
        .as("leaf index changed").isFalse();
    assertThat(verifies(withProof(receipt, proof.copy().put("auditPath", new JsonArray().add(B64URL_ENCODER.encodeToString(new byte[32])))), keys))
        .as("audit path changed").isFalse();

    var replay = Http.submit(intake.apiPort(), intake.keyOf("demo-web"), key, body);
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(new JsonObject(replay.body())).as("a replay is the same signed receipt").isEqualTo(receipt);
  }

  @Test
  void everyReceiptOfABatchIsSignedAndThoseOfOneWindowShareATree(TestIntake intake) throws Exception {
    var keys = receiptKeys(intake);
    int largestTree = 0;
    // ten items claimed and sent together reach the signer within one 5 ms window, some at least in one tree, so
    // that the proofs checked include audit paths, not only trees of one; a slow moment of a loaded machine may
    // spread one batch over several windows, so up to three batches
    for (int attempt = 0; attempt < 3 && largestTree < 2; attempt++) {
      var items = new JsonArray();
      for (int i = 0; i < 10; i++) items.add(taxReturn(freshApplicant()).put("channel", "COUNTER").put("idempotencyKey", "rcb-" + UUID.randomUUID()));
      var response = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intake.apiPort() + "/v1/applications:batch"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + intake.keyOf("demo-counter"))
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("items", items).encode())));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      ApiContract.assertConforms(response, "submitBatch");
      for (var result : new JsonObject(response.body()).getJsonArray("results")) {
        var receipt = ((JsonObject) result).getJsonObject("receipt");
        assertThat(verifies(receipt, keys)).isTrue();
        int treeSize = receipt.getJsonObject("receiptProof").getInteger("treeSize");
        largestTree = Math.max(largestTree, treeSize);
        if (treeSize > 1) {
          var proof = receipt.getJsonObject("receiptProof");
          var path = proof.getJsonArray("auditPath").copy();
          byte[] sibling = B64URL.decode(path.getString(0));
          sibling[0] ^= 1;
          path.set(0, B64URL_ENCODER.encodeToString(sibling));
          assertThat(verifies(withProof(receipt, proof.copy().put("auditPath", path)), keys)).as("a sibling hash changed").isFalse();
        }
      }
    }
    assertThat(largestTree).isGreaterThan(1);
  }

  @Test
  void theKeySetIsPublicCacheableAndNamesKeysByTheirThumbprint(TestIntake intake) throws Exception {
    var response = Http.get(intake.apiPort(), "/v1/receipt-keys");
    assertThat(response.statusCode()).isEqualTo(200);
    ApiContract.assertConforms(response, "receiptKeys");
    assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("max-age"));
    for (var k : new JsonObject(response.body()).getJsonArray("keys")) {
      var jwk = (JsonObject) k;
      // RFC 7638: SHA-256 over {"crv","kty","x"} in that order, base64url
      String members = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + jwk.getString("x") + "\"}";
      byte[] thumbprint = MessageDigest.getInstance("SHA-256").digest(members.getBytes(StandardCharsets.US_ASCII));
      assertThat(jwk.getString("kid")).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(thumbprint));
    }
  }

  private static JsonObject withProof(JsonObject receipt, JsonObject proof) {
    return receipt.copy().put("receiptProof", proof);
  }

  private static JsonArray receiptKeys(TestIntake intake) {
    return new JsonObject(Http.get(intake.apiPort(), "/v1/receipt-keys").body()).getJsonArray("keys");
  }

  /**
   * The check a receipt holder makes (README, Receipts): the leaf from the receipt, the root from the leaf and its
   * audit path (RFC 9162 section 2.1.3.2), the signed tree head from the root, and the Ed25519 signature over it
   * with the key of the header's kid.
   */
  private static boolean verifies(JsonObject receipt, JsonArray keys) throws Exception {
    String[] jws = receipt.getString("receiptSignature").split("\\.", -1);
    assertThat(jws).hasSize(3);
    assertThat(jws[1]).as("detached: no payload in the compact form").isEmpty();
    var header = new JsonObject(new String(B64URL.decode(jws[0]), StandardCharsets.UTF_8));
    assertThat(header.getString("alg")).isEqualTo("EdDSA");
    assertThat(header.getString("typ")).isEqualTo("receipt-tree-head");
    var jwk = keys.stream().map(JsonObject.class::cast).filter(k -> k.getString("kid").equals(header.getString("kid")))
        .findFirst().orElseThrow(() -> new AssertionError("no published key " + header.getString("kid")));
    var publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
        HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(B64URL.decode(jwk.getString("x"))))));

    var proof = receipt.getJsonObject("receiptProof");
    var sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update((byte) 0);
    byte[] root = rootFromPath(sha256.digest(canonical(receipt)), proof.getLong("leafIndex"), proof.getLong("treeSize"),
        proof.getJsonArray("auditPath"));
    if (root == null) return false;
    // the tree head in JCS: two members, sorted
    String treeHead = "{\"rootHash\":\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(root) + "\",\"treeSize\":"
        + proof.getLong("treeSize") + "}";
    var verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(publicKey);
    String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(treeHead.getBytes(StandardCharsets.UTF_8));
    verifier.update((jws[0] + "." + payload).getBytes(StandardCharsets.US_ASCII));
    return verifier.verify(B64URL.decode(jws[2]));
  }

  /** RFC 9162 section 2.1.3.2, step by step; null where the proof cannot be of this size and index. */
  private static byte[] rootFromPath(byte[] leaf, long leafIndex, long treeSize, JsonArray path) throws Exception {
    if (leafIndex < 0 || leafIndex >= treeSize) return null;
    long fn = leafIndex, sn = treeSize - 1;
    byte[] r = leaf;
    var sha256 = MessageDigest.getInstance("SHA-256");
    for (Object element : path) {
      byte[] p = B64URL.decode((String) element);
      if (sn == 0) return null;
      sha256.update((byte) 1);
      if ((fn & 1) == 1 || fn == sn) {
        sha256.update(p);
        r = sha256.digest(r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sha256.update(r);
        r = sha256.digest(p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 ? r : null;
  }

  /** JCS for what a receipt holds (string members, no characters that need escaping): sorted, no whitespace. */
  private static byte[] canonical(JsonObject receipt) {
    var members = new TreeMap<String, Object>(receipt.getMap());
    members.remove("receiptSignature");
    members.remove("receiptProof");
    var out = new StringBuilder("{");
    members.forEach((name, value) -> {
      assertThat(value).isInstanceOf(String.class);
      assertThat((String) value).doesNotContain("\"", "\\");
      out.append(out.length() > 1 ? "," : "").append('"').append(name).append("\":\"").append(value).append('"');
    });
    return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }
}
