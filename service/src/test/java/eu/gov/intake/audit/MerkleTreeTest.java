package eu.gov.intake.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tree against RFC 9162's own recursive definitions of MTH (section 2.1.1) and PATH (section 2.1.3.1). */
class MerkleTreeTest {
  private final MessageDigest sha256 = sha256();

  @Test
  void rootsAndAuditPathsAreTheRfcsForEverySizeAndLeaf() {
    for (int n = 1; n <= 70; n++) {
      var leaves = new ArrayList<byte[]>();
      for (int i = 0; i < n; i++) leaves.add(MerkleTree.leafHash(sha256, ("receipt " + i).getBytes(StandardCharsets.UTF_8)));
      var built = MerkleTree.build(sha256, leaves);
      assertThat(built.root()).as("root of %d", n).isEqualTo(mth(leaves));
      for (int m = 0; m < n; m++) {
        assertThat(built.paths().get(m)).as("path of leaf %d of %d", m, n).containsExactlyElementsOf(path(m, leaves));
      }
    }
  }

  @Test
  void aLeafIsNotANode() {
    byte[] a = MerkleTree.leafHash(sha256, new byte[] {1});
    byte[] b = MerkleTree.leafHash(sha256, new byte[] {2});
    byte[] concatenated = new byte[64];
    System.arraycopy(a, 0, concatenated, 0, 32);
    System.arraycopy(b, 0, concatenated, 32, 32);
    // a leaf whose data is two hashes does not hash to the node over them (the 0x00 / 0x01 prefixes)
    assertThat(MerkleTree.leafHash(sha256, concatenated)).isNotEqualTo(MerkleTree.nodeHash(sha256, a, b));
  }

  /** MTH(D[n]): the leaf itself for one leaf, else HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of 2 < n. */
  private byte[] mth(List<byte[]> d) {
    if (d.size() == 1) return d.get(0);
    int k = 1;
    while (k * 2 < d.size()) k *= 2;
    byte[] left = mth(d.subList(0, k)), right = mth(d.subList(k, d.size()));
    sha256.update((byte) 1);
    sha256.update(left);
    return sha256.digest(right);
  }

  /** PATH(m, D[n]): empty for one leaf; PATH(m, D[0:k]) : MTH(D[k:n]) for m < k, else PATH(m - k, D[k:n]) : MTH(D[0:k]). */
  private List<byte[]> path(int m, List<byte[]> d) {
    if (d.size() == 1) return new ArrayList<>();
    int k = 1;
    while (k * 2 < d.size()) k *= 2;
    List<byte[]> p;
    if (m < k) {
      p = path(m, d.subList(0, k));
      p.add(mth(d.subList(k, d.size())));
    } else {
      p = path(m - k, d.subList(k, d.size()));
      p.add(mth(d.subList(0, k)));
    }
    return p;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
