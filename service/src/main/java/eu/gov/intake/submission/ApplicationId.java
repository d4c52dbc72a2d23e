package eu.gov.intake.submission;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by the time they were
 * issued and index well. They identify, they do not authorize: reads check the caller, so they need not be
 * unguessable, and a thread-local generator keeps this off the SecureRandom lock on the hot path.
 */
public final class ApplicationId {
  private ApplicationId() {}

  public static String next() { return at(System.currentTimeMillis()).toString(); }

  static UUID at(long unixMillis) {
    var random = ThreadLocalRandom.current();
    long msb = (unixMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);             // version 7
    long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;    // variant 10
    return new UUID(msb, lsb);
  }
}
