package eu.gov.intake.admission;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What one client may hold of the instance's admission bounds: at most a share of the in-flight slots and of the
 * buffered body bytes. Authentication before the body keeps strangers out; this keeps one key (a partner's that
 * leaked, a front end gone wrong, slow bodies on purpose) from taking every slot and byte, so that the other
 * clients' submissions are still admitted while it misbehaves.
 */
public final class ClientShares {
  private record Held(int slots, long bytes) {}

  private final int maxSlots;
  private final long maxBytes;
  private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

  public ClientShares(int maxSlots, long maxBytes) {
    this.maxSlots = maxSlots;
    this.maxBytes = maxBytes;
  }

  /** Takes a slot and {@code bytes} for {@code client}; {@code false} when either would pass its share. */
  public boolean tryEnter(String client, long bytes) {
    var taken = new boolean[1];
    held.compute(client, (id, now) -> {
      int slots = now == null ? 0 : now.slots();
      long reserved = now == null ? 0 : now.bytes();
      if (slots + 1 > maxSlots || reserved + bytes > maxBytes) return now;
      taken[0] = true;
      return new Held(slots + 1, reserved + bytes);
    });
    return taken[0];
  }

  /** Gives back what one {@link #tryEnter} took. */
  public void leave(String client, long bytes) {
    held.computeIfPresent(client, (id, now) -> now.slots() == 1 ? null : new Held(now.slots() - 1, now.bytes() - bytes));
  }
}
