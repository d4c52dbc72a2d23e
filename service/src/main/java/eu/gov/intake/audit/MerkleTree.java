package eu.gov.intake.audit;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0, section 2.1) over SHA-256: a leaf's hash is
 * {@code SHA-256(0x00 || data)}, a node's {@code SHA-256(0x01 || left || right)} (the prefixes keep a leaf from
 * passing for a node), and a tree of n leaves splits at the largest power of two below n. An inclusion proof is
 * the audit path of RFC 9162 section 2.1.3.1, the nearest sibling first, which the verification algorithm of
 * section 2.1.3.2 walks back to the root.
 */
public final class MerkleTree {
  private MerkleTree() {}

  /** The root, and for each leaf its audit path. */
  public record Built(byte[] root, List<List<byte[]>> paths) {}

  public static byte[] leafHash(MessageDigest sha256, byte[] data) {
    sha256.update((byte) 0);
    return sha256.digest(data);
  }

  /** {@code leafHashes} from {@link #leafHash}; at least one. */
  public static Built build(MessageDigest sha256, List<byte[]> leafHashes) {
    if (leafHashes.isEmpty()) throw new IllegalArgumentException("a tree needs a leaf");
    var paths = new ArrayList<List<byte[]>>(leafHashes.size());
    for (int i = 0; i < leafHashes.size(); i++) paths.add(new ArrayList<>(32 - Integer.numberOfLeadingZeros(leafHashes.size())));
    return new Built(subtree(sha256, leafHashes, 0, leafHashes.size(), paths), paths);
  }

  /** The hash of leaves [lo, hi); each leaf's path gets its sibling at this level after the deeper ones. */
  private static byte[] subtree(MessageDigest sha256, List<byte[]> leaves, int lo, int hi, List<List<byte[]>> paths) {
    if (hi - lo == 1) return leaves.get(lo);
    int split = lo + Integer.highestOneBit(hi - lo - 1);   // the largest power of two smaller than the size
    byte[] left = subtree(sha256, leaves, lo, split, paths);
    byte[] right = subtree(sha256, leaves, split, hi, paths);
    for (int i = lo; i < split; i++) paths.get(i).add(right);
    for (int i = split; i < hi; i++) paths.get(i).add(left);
    return nodeHash(sha256, left, right);
  }

  public static byte[] nodeHash(MessageDigest sha256, byte[] left, byte[] right) {
    sha256.update((byte) 1);
    sha256.update(left);
    return sha256.digest(right);
  }
}
