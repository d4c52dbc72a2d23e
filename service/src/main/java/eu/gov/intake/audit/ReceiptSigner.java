package eu.gov.intake.audit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Signs receipts the way Certificate Transparency logs sign certificates (contract section 8): the receipts that
 * arrive within one window are the leaves of a Merkle tree ({@link MerkleTree}, RFC 9162), and one Ed25519
 * signature covers the tree's head. Each receipt gets {@code receiptProof} (the tree's size, its leaf's index and
 * its audit path) and {@code receiptSignature}, a detached JWS (RFC 7515 appendix F, EdDSA, RFC 8037) whose
 * payload is the tree head {@code {"rootHash","treeSize"}} canonicalized by JCS (RFC 8785). A leaf is the receipt
 * without those two members, canonicalized by JCS, so a receipt holder recomputes the root from the receipt alone
 * and checks the signature: a changed receipt gives another root, and the signature fails.
 *
 * <p>Why: a signature cost about a fifth of Intake's CPU per application when each receipt had its own. A window
 * shorter than Kafka's acknowledgement (linger 5 ms plus the broker's round trip) costs no latency, because the
 * receipt is signed while the application is being made durable; at a few thousand applications a second one
 * signature covers tens of receipts. The signing runs on a thread of its own, off the event loops.
 */
public final class ReceiptSigner implements AutoCloseable {
  public static final String SIGNATURE = "receiptSignature";
  public static final String PROOF = "receiptProof";
  /** Bounds one tree (and so a proof's length: at most 16 hashes); what is left waits for the next one, at once. */
  static final int MAX_LEAVES = 65_536;
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final ReceiptKeys keys;
  private final String header;
  private final long windowNanos;
  private final ScheduledExecutorService signing;
  private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final MessageDigest sha256;   // under signPending's lock

  private record Pending(JsonObject receipt, Context context, Promise<JsonObject> promise) {}

  public ReceiptSigner(ReceiptKeys keys, Duration window) {
    this.keys = keys;
    this.windowNanos = window.toNanos();
    this.header = B64URL.encodeToString(("{\"alg\":\"EdDSA\",\"kid\":\"" + keys.currentKid() + "\",\"typ\":\"receipt-tree-head\"}")
        .getBytes(StandardCharsets.UTF_8));
    this.signing = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("receipt-signer").daemon().unstarted(r));
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The receipt with its proof and the signature of its tree's head, on the caller's context, within the window. */
  public Future<JsonObject> signed(JsonObject receipt) {
    Promise<JsonObject> promise = Promise.promise();
    pending.add(new Pending(receipt, Vertx.currentContext(), promise));
    if (scheduled.compareAndSet(false, true)) {
      try {
        signing.schedule(this::signPending, windowNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closed) {
        signPending();   // after close (a request that outlived the shutdown timeout): signed here rather than never
      }
    }
    return promise.future();
  }

  private synchronized void signPending() {
    // cleared before taking: a receipt added from now on either is taken below or schedules the next tree
    scheduled.set(false);
    while (true) {
      var batch = new ArrayList<Pending>();
      for (Pending p; batch.size() < MAX_LEAVES && (p = pending.poll()) != null; ) batch.add(p);
      if (batch.isEmpty()) return;
      signTree(batch);
    }
  }

  private void signTree(List<Pending> batch) {
    try {
      var leaves = new ArrayList<byte[]>(batch.size());
      for (var p : batch) leaves.add(MerkleTree.leafHash(sha256, Jcs.canonical(p.receipt())));
      var tree = MerkleTree.build(sha256, leaves);
      String signature = sign(new JsonObject().put("rootHash", B64URL.encodeToString(tree.root())).put("treeSize", batch.size()));
      var results = new ArrayList<JsonObject>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        var path = new JsonArray(new ArrayList<>(tree.paths().get(i).size()));
        for (byte[] sibling : tree.paths().get(i)) path.add(B64URL.encodeToString(sibling));
        results.add(batch.get(i).receipt().copy()
            .put(PROOF, new JsonObject().put("treeSize", batch.size()).put("leafIndex", i).put("auditPath", path))
            .put(SIGNATURE, signature));
      }
      onTheirContexts(batch, i -> batch.get(i).promise().tryComplete(results.get(i)));
    } catch (Throwable e) {                 // a bug, not a refusal: every waiting request must still get its answer
      onTheirContexts(batch, i -> batch.get(i).promise().tryFail(e));
    }
  }

  private String sign(JsonObject treeHead) {
    byte[] signingInput = (header + '.' + B64URL.encodeToString(Jcs.canonical(treeHead))).getBytes(StandardCharsets.US_ASCII);
    var signer = new Ed25519Signer();
    signer.init(true, keys.signing());
    signer.update(signingInput, 0, signingInput.length);
    return header + ".." + B64URL.encodeToString(signer.generateSignature());
  }

  /**
   * One task per event loop for the whole tree, not one per receipt (each request has a context of its own, a
   * duplicate of its event loop's): there, each receipt is completed on its own request's context.
   */
  private static void onTheirContexts(List<Pending> batch, IntConsumer complete) {
    var byEventLoop = new HashMap<Object, List<Integer>>();
    for (int i = 0; i < batch.size(); i++) {
      var context = (ContextInternal) batch.get(i).context();
      if (context == null) complete.accept(i);
      else byEventLoop.computeIfAbsent(context.nettyEventLoop(), loop -> new ArrayList<>()).add(i);
    }
    byEventLoop.values().forEach(indices -> batch.get(indices.getFirst()).context().runOnContext(v -> indices.forEach(
        i -> ((ContextInternal) batch.get(i).context()).emit(ignored -> complete.accept(i)))));
  }

  /** Signs what is waiting, then stops; after the last request was answered. */
  @Override
  public void close() {
    signing.shutdown();   // delayed runs already scheduled still run: nothing waiting is left unsigned
  }
}
