package eu.gov.intake.publish;

import eu.gov.intake.config.SpoolKeys;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The spool's application bytes at rest: AES-256-GCM under the current key, with the row's routing as associated
 * data (its event id, topic, application id and event type: bytes moved into another row, or a row pointed at another
 * topic, do not open). A stored value is
 * {@code 0x01 | length of key id | key id | 12-byte nonce | ciphertext and tag}; a value that starts with
 * {@code '{'} is a row written in clear text by a version before this one, and is read as it is.
 */
public final class SpoolCipher {
  private static final byte VERSION = 1;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom NONCES = new SecureRandom();

  private final SpoolKeys keys;
  private final byte[] currentId;

  /** What a row's bytes are bound to: the columns the relay routes it by. */
  record Binding(String eventId, String topic, String applicationId, String type) {
    static Binding of(Event e) { return new Binding(e.id(), e.topic(), e.applicationId(), e.type()); }

    static Binding of(io.vertx.sqlclient.Row row) {
      return new Binding(row.getString("event_id"), row.getString("topic"), row.getUUID("application_id").toString(),
          row.getString("ce_type"));
    }

    byte[] bytes() { return String.join("\n", eventId, topic, applicationId, type).getBytes(StandardCharsets.UTF_8); }
  }

  public SpoolCipher(SpoolKeys keys) {
    this.keys = keys;
    this.currentId = keys.currentId().getBytes(StandardCharsets.US_ASCII);
  }

  Buffer seal(Binding binding, Buffer plain) {
    byte[] nonce = new byte[NONCE];
    NONCES.nextBytes(nonce);
    try {
      var cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.current(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(binding.bytes());
      byte[] sealed = cipher.doFinal(plain.getBytes());
      return Buffer.buffer(2 + currentId.length + NONCE + sealed.length)
          .appendByte(VERSION).appendByte((byte) currentId.length).appendBytes(currentId).appendBytes(nonce).appendBytes(sealed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM with a 256-bit key is in every JDK", e);
    }
  }

  /** The event's bytes; fails (the row cannot be read) if its key id is not configured or its bytes were changed. */
  Buffer open(Binding binding, Buffer stored) {
    String eventId = binding.eventId();
    if (stored.length() > 0 && stored.getByte(0) == '{') return stored;
    try {
      var in = ByteBuffer.wrap(stored.getBytes());
      if (in.get() != VERSION) throw new SpoolRowUnreadable(eventId, "an unknown format");
      byte[] id = new byte[in.get()];
      in.get(id);
      String keyId = new String(id, StandardCharsets.US_ASCII);
      SecretKey key = keys.byId().get(keyId);
      if (key == null) throw new SpoolRowUnreadable(eventId, "key id " + keyId + ", which INTAKE_SPOOL_KEYS no longer holds");
      byte[] nonce = new byte[NONCE];
      in.get(nonce);
      var cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(binding.bytes());
      return Buffer.buffer(cipher.doFinal(in.array(), in.position(), in.remaining()));
    } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
      throw new SpoolRowUnreadable(eventId, "bytes cut short");
    } catch (javax.crypto.AEADBadTagException e) {
      throw new SpoolRowUnreadable(eventId, "bytes that do not authenticate (changed, another row's, or rerouted)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM with a 256-bit key is in every JDK", e);
    }
  }

  /** A spool row this instance cannot decrypt; the message names the row and why, never its content. */
  static final class SpoolRowUnreadable extends RuntimeException {
    SpoolRowUnreadable(String eventId, String why) { super("spool row " + eventId + " cannot be decrypted: " + why, null, false, false); }
  }
}
