package eu.gov.intake.dedupe;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON object in canonical form: members sorted by name at every depth, no insignificant space (the form a
 * {@link Fingerprint} is taken of), and where each top-level member's value lies in it. One writing of an
 * application then serves both its fingerprint and its department's event, which takes the applicant and the
 * payload from here (member order in a JSON object carries no meaning, RFC 8259): the payload, most of an
 * application's bytes, was written twice before.
 */
public final class Canonical {
  private static final JsonMapper SORTED = JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

  private final byte[] bytes;
  private final Map<String, int[]> members;

  private Canonical(byte[] bytes, Map<String, int[]> members) {
    this.bytes = bytes;
    this.members = members;
  }

  /** {@code object}: a JSON object (a request or an application's content). */
  public static Canonical of(JsonNode object) {
    if (!object.isObject()) throw new IllegalArgumentException("a canonical form is of an object");
    var names = new ArrayList<String>(object.size());
    object.fieldNames().forEachRemaining(names::add);
    Collections.sort(names);                          // String order, as Jackson's sorted writing uses
    var out = new ByteArrayOutputStream(1024);
    var members = new HashMap<String, int[]>();
    try (JsonGenerator generator = SORTED.createGenerator(out)) {
      generator.writeStartObject();
      for (String name : names) {
        generator.writeFieldName(name);
        generator.flush();
        int start = out.size() + 1;                   // the value follows the ':' the generator writes before it
        generator.writeTree(object.get(name));
        generator.flush();
        members.put(name, new int[] {start, out.size()});
      }
      generator.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("a parsed tree always serializes", e);
    }
    return new Canonical(out.toByteArray(), members);
  }

  public byte[] bytes() { return bytes; }

  /** Appends the value of a top-level member, as written here. */
  public void writeMember(String name, ByteArrayOutputStream to) {
    int[] range = members.get(name);
    if (range == null) throw new IllegalArgumentException("no member " + name);
    to.write(bytes, range[0], range[1] - range[0]);
  }
}
