package eu.gov.intake.submission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import eu.gov.intake.failure.MalformedRequest;
import java.io.CharArrayReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request body strictly, in one streaming pass: UTF-8 only, one JSON value and nothing after it, no
 * duplicate member names (which value would a department see?), nesting at most 32 deep, numbers at most
 * 100 digits. Anything else is a 400 and nothing of it is kept.
 */
public final class RequestJson {
  public static final int MAX_DEPTH = 32;

  private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxNumberLength(100)
              .maxStringLength(1024 * 1024).build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)  // 0.1 stays 0.1 on its way to the department
      .build();

  private RequestJson() {}

  public static JsonNode parse(byte[] body) {
    if (body.length == 0) throw new MalformedRequest("the body is empty", "请求体为空");
    try {
      // Decoded here, strictly, rather than by the parser: Jackson would guess UTF-16 or UTF-32 from the
      // first bytes and let some malformed sequences through in member names.
      CharBuffer text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
      if (text.length() > 0 && text.charAt(0) == '\uFEFF') throw new CharacterCodingException();  // no byte order mark
      JsonNode node = MAPPER.readTree(new CharArrayReader(text.array(), text.arrayOffset(), text.remaining()));
      if (node == null || node.isMissingNode()) throw new MalformedRequest("the body is empty", "请求体为空");
      return node;
    } catch (StreamConstraintsException e) {
      throw new MalformedRequest("the JSON is nested deeper than " + MAX_DEPTH + " levels or has an over-long number",
          "JSON 嵌套超过 " + MAX_DEPTH + " 层或数字过长");
    } catch (IOException e) {
      // The parser's own message names offsets and tokens, never our classes; it stays in the logs all the same.
      throw new MalformedRequest("the body is not valid JSON in UTF-8 (truncated, malformed, or a member named twice)",
          "请求体不是有效的 UTF-8 JSON（被截断、格式错误或成员名重复）");
    }
  }

  /** The bytes of a tree, for the Kafka record value. */
  public static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("a parsed tree always serializes", e);
    }
  }
}
