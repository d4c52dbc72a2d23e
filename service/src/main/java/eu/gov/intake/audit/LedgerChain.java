package eu.gov.intake.audit;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Checks a department's chain of ledger history entries end to end (contract section 8): every entry in order
 * from 1, each following the hash of the one before, each hash recomputed here from the entry's content (the
 * database's trigger wrote it; this is a second implementation of the same rule, see migration V6), and the
 * chain's head where the last entry is. A changed, removed or inserted entry breaks one of these. Where ledger
 * retention removed the chain's front, the check starts after the last entry removed, from its recorded hash
 * ({@code ledger_chain_starts}, migration V7): what is kept is checked as strictly, what was removed is gone.
 */
public final class LedgerChain {
  private static final byte[] GENESIS = new byte[32];
  private static final int PAGE = 5_000;
  private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String ENTRIES = """
      SELECT chain_seq, event_id, application_id, status, note, at, by_client, prev_hash, hash FROM application_history
      WHERE department_code = $1 AND chain_seq > $2 ORDER BY chain_seq LIMIT $3""";

  /**
   * {@code intact}: every check held; else {@code problem} names the first entry that broke one. {@code startsAfter}:
   * the last entry retention removed (0: none), after which the check began.
   */
  public record Verdict(String department, long entries, long startsAfter, boolean intact, String problem, String head) {}

  private LedgerChain() {}

  /**
   * Reads the chain's head first and checks the entries up to it: entries appended while it runs (a live
   * ledger) are after the head it read, and are left for the next run. One read-only snapshot for the whole check:
   * a retention purge that commits meanwhile must not make a page find entries gone that the head still counted.
   */
  public static Future<Verdict> verify(Pool pool, String department) {
    return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute()
        .compose(snapshot -> conn.preparedQuery("""
            SELECT h.chain_seq, h.hash, s.chain_seq AS start_seq, s.hash AS start_hash FROM ledger_chain_heads h
            LEFT JOIN ledger_chain_starts s USING (department_code) WHERE h.department_code = $1""").execute(Tuple.of(department)))
        .compose(heads -> {
          if (heads.size() == 0) return page(conn, department, 0, 0, GENESIS, 0, GENESIS);
          Row head = heads.iterator().next();
          long start = head.getValue("start_seq") == null ? 0 : head.getLong("start_seq");
          return page(conn, department, start, start, start == 0 ? GENESIS : bytes(head, "start_hash"),
              head.getLong("chain_seq"), bytes(head, "hash"));
        }));
  }

  /** The entries after {@code seq} (whose hash is {@code prev}) up to the head, a page at a time. */
  private static Future<Verdict> page(SqlConnection conn, String department, long start, long seq, byte[] prev, long headSeq,
                                      byte[] headHash) {
    return conn.preparedQuery(ENTRIES).execute(Tuple.of(department, seq, Math.min(PAGE, headSeq - seq))).compose(rows -> {
      long last = seq;
      byte[] hash = prev;
      for (Row row : rows) {
        long entry = row.getLong("chain_seq");
        if (entry != last + 1) return broken(department, start, last, "entry " + (last + 1) + " is missing (the next one is " + entry + ")");
        if (!Arrays.equals(bytes(row, "prev_hash"), hash)) {
          return broken(department, start, last, "entry " + entry + " (event " + row.getString("event_id") + ") does not follow entry " + last);
        }
        byte[] recomputed = sha256(hash, Jcs.canonical(content(department, row)));
        if (!Arrays.equals(bytes(row, "hash"), recomputed)) {
          return broken(department, start, last, "entry " + entry + " (event " + row.getString("event_id")
              + ") does not match its hash: changed since written");
        }
        last = entry;
        hash = recomputed;
      }
      if (last < headSeq && rows.size() > 0) return page(conn, department, start, last, hash, headSeq, headHash);
      if (last != headSeq) {
        return broken(department, start, last, "the chain ends at entry " + last + " but its head is entry " + headSeq
            + ": entries after " + last + " were removed");
      }
      if (!Arrays.equals(hash, headHash)) return broken(department, start, last, "entry " + last + " is not the one its head names");
      return Future.succeededFuture(new Verdict(department, last, start, true, "", HexFormat.of().formatHex(hash)));
    });
  }

  /** The entry as the chain hashes it: the members migration V6 names, "at" in UTC to the microsecond. */
  private static JsonObject content(String department, Row row) {
    return new JsonObject().put("applicationId", row.getUUID("application_id").toString())
        .put("at", AT.format(row.getOffsetDateTime("at"))).put("by", row.getString("by_client")).put("department", department)
        .put("eventId", row.getString("event_id")).put("note", row.getString("note")).put("seq", row.getLong("chain_seq"))
        .put("status", row.getString("status"));
  }

  private static Future<Verdict> broken(String department, long start, long intactUpTo, String problem) {
    return Future.succeededFuture(new Verdict(department, intactUpTo, start, false, problem, ""));
  }

  private static byte[] bytes(Row row, String column) {
    Buffer value = row.getBuffer(column);
    return value == null ? null : value.getBytes();
  }

  private static byte[] sha256(byte[] prev, byte[] entry) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      digest.update(prev);
      return digest.digest(entry);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
