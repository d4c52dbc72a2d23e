package eu.gov.intake.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One window, one tree, one signature; the tree head verifies with the JDK's Ed25519. */
class ReceiptSignerTest {
  private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

  @Test
  void receiptsOfOneWindowShareOneSignedTreeHeadAndEachHasItsPlace() throws Exception {
    String[] pair = ReceiptKeys.generate();
    var keys = ReceiptKeys.parse(pair[0], List.of());
    try (var signer = new ReceiptSigner(keys, Duration.ofMillis(300))) {
      var futures = new ArrayList<Future<JsonObject>>();
      for (int i = 0; i < 10; i++) futures.add(signer.signed(receipt(i)));
      var signed = Future.all(futures).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).<JsonObject>list();

      assertThat(signed).extracting(r -> r.getString(ReceiptSigner.SIGNATURE)).as("one signature").containsOnly(signed.get(0).getString(ReceiptSigner.SIGNATURE));
      assertThat(signed).extracting(r -> r.getJsonObject(ReceiptSigner.PROOF).getInteger("leafIndex")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
      assertThat(signed).extracting(r -> r.getJsonObject(ReceiptSigner.PROOF).getInteger("treeSize")).containsOnly(10);
      assertThat(signed.get(3).copy().put(ReceiptSigner.PROOF, null).put(ReceiptSigner.SIGNATURE, null).fieldNames())
          .as("the receipt's own members are kept").contains("applicationId", "receivedAt");

      var sha256 = MessageDigest.getInstance("SHA-256");
      var leaves = new ArrayList<byte[]>();
      for (int i = 0; i < 10; i++) leaves.add(MerkleTree.leafHash(sha256, Jcs.canonical(receipt(i))));
      String treeHead = "{\"rootHash\":\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(MerkleTree.build(sha256, leaves).root())
          + "\",\"treeSize\":10}";
      String[] jws = signed.get(0).getString(ReceiptSigner.SIGNATURE).split("\\.", -1);
      assertThat(new String(B64URL.decode(jws[0]), StandardCharsets.UTF_8)).contains("\"typ\":\"receipt-tree-head\"", keys.currentKid());
      var verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pair[1]))));
      verifier.update((jws[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(treeHead.getBytes(StandardCharsets.UTF_8)))
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(verifier.verify(B64URL.decode(jws[2]))).isTrue();
    }
  }

  @Test
  void closingSignsWhatIsWaiting() throws Exception {
    var signer = new ReceiptSigner(ReceiptKeys.parse(ReceiptKeys.generate()[0], List.of()), Duration.ofSeconds(1));
    var waiting = signer.signed(receipt(1));
    signer.close();
    assertThat(waiting.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).containsKey(ReceiptSigner.SIGNATURE)).isTrue();
    assertThat(signer.signed(receipt(2)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
        .getJsonObject(ReceiptSigner.PROOF).getInteger("treeSize")).as("after close: signed at once, alone").isEqualTo(1);
  }

  private static JsonObject receipt(int i) {
    return new JsonObject().put("applicationId", "0190-" + i).put("status", "ACCEPTED").put("serviceCode", "SHTAX-0001")
        .put("departmentCode", "SHTAX").put("receivedAt", "2026-12-06T00:00:0" + i + "Z");
  }
}
