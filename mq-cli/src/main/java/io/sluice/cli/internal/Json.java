package io.sluice.cli.internal;

import io.sluice.api.Message;
import io.sluice.consumer.DeadLetter;
import io.sluice.consumer.admin.GroupView;
import io.sluice.consumer.admin.TopicView;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON shapes of the command line (documented in {@code docs/cli.md}), built as ordered maps so
 * that field order is stable.
 */
final class Json {
  private static final JsonMapper PRETTY =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final JsonMapper LINE = JsonMapper.builder().build();

  private Json() {}

  /** Prints one document, indented. */
  static void print(PrintWriter out, Object document) {
    out.println(PRETTY.writeValueAsString(document));
  }

  /** Prints one document on one line (a stream of documents: tail, dump). */
  static void line(PrintWriter out, Object document) {
    out.println(LINE.writeValueAsString(document));
    out.flush();
  }

  static Map<String, Object> object(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** Each item's JSON shape, in order (for example {@code list(groups, Json::group)}). */
  static <T> List<Object> list(List<T> items, Function<? super T, ?> shape) {
    List<Object> out = new ArrayList<>(items.size());
    for (T item : items) {
      out.add(shape.apply(item));
    }
    return out;
  }

  static Map<String, Object> topic(TopicView t) {
    List<Object> partitions =
        list(
            t.partitions(),
            p ->
                object(
                    "partition", p.partition(),
                    "logStartOffset", p.logStartOffset(),
                    "endOffset", p.endOffset(),
                    "retainedMessages", p.retainedMessages(),
                    "retainedBytes", p.retainedBytes()));
    return object(
        "name", t.name(),
        "partitionCount", t.partitions().size(),
        "retention", t.config().retention() == null ? null : t.config().retention().toString(),
        "retentionBytes", t.config().retentionBytes(),
        "retainUntilConsumed", t.config().retainUntilConsumed(),
        "retainedMessages", t.retainedMessages(),
        "retainedBytes", t.retainedBytes(),
        "partitions", partitions);
  }

  static Map<String, Object> group(GroupView g) {
    List<Object> partitions =
        list(
            g.partitions(),
            p ->
                object(
                    "partition", p.partition(),
                    "committedOffset", p.committedOffset(),
                    "endOffset", p.endOffset(),
                    "lag", p.lag(),
                    "inFlight", p.inFlight()));
    return object(
        "group", g.group(),
        "topic", g.topic(),
        "paused", g.paused(),
        "lag", g.lag(),
        "inFlight", g.inFlight(),
        "partitions", partitions);
  }

  static Map<String, Object> message(String topic, int partition, long offset, Message m) {
    Map<String, Object> out =
        object(
            "topic", topic,
            "partition", partition,
            "offset", offset,
            "timestamp", text(m.timestamp()),
            "key", m.key());
    if (m.idempotencyKey() != null) {
      out.put("idempotencyKey", m.idempotencyKey());
    }
    if (m.deliverAt() != null) {
      out.put("deliverAt", text(m.deliverAt()));
    }
    out.put(
        "headers", list(m.headers().asList(), h -> object("name", h.name(), "value", h.value())));
    String utf8 = utf8(m.payload());
    out.put("payloadEncoding", utf8 != null ? "utf-8" : "base64");
    out.put("payload", utf8 != null ? utf8 : Base64.getEncoder().encodeToString(m.payload()));
    return out;
  }

  static Map<String, Object> deadLetter(DeadLetter d, boolean withMessage) {
    Map<String, Object> out =
        object(
            "id", d.id(),
            "deadLetterTopic", d.deadLetterTopic(),
            "partition", d.partition(),
            "offset", d.offset(),
            "originalTopic", d.originalTopic(),
            "originalPartition", d.originalPartition(),
            "originalOffset", d.originalOffset(),
            "group", d.group(),
            "attempts", d.attempts(),
            "reason", d.reason(),
            "errorClass", d.errorClass(),
            "errorMessage", d.errorMessage(),
            "firstFailureAt", text(d.firstFailureAt()),
            "lastFailureAt", text(d.lastFailureAt()));
    if (withMessage) {
      out.put("message", message(d.deadLetterTopic(), d.partition(), d.offset(), d.message()));
    }
    return out;
  }

  static String text(Instant t) {
    return t == null ? null : t.toString();
  }

  /** The payload as text if it is valid UTF-8, else null. */
  static String utf8(byte[] payload) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** A payload for a table cell: text cut to {@code max} characters, or its size if binary. */
  static String preview(byte[] payload, int max) {
    String text = utf8(payload);
    if (text == null) {
      return "<" + payload.length + " bytes, binary>";
    }
    String oneLine = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
  }
}
