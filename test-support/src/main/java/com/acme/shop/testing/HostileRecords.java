package com.acme.shop.testing;

import com.acme.shop.testing.TopicIO.Message;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Records of every hostile kind for one input topic, each built from one valid record of the topic
 * and keyed by its kind, with the start of the reason its dead letter must give. The kinds every
 * JSON input shares come from {@link #around}; a topic adds its own (money, enums) with {@link
 * #with}.
 *
 * <pre>{@code
 * Map<String, Hostile> hostile =
 *     HostileRecords.around(goodJson, "userId", "eventId")
 *         .with("unknown-enum", "unknown ClickType 'hover'", json -> json.put("type", "hover"))
 *         .records();
 * }</pre>
 */
public final class HostileRecords {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Random, so no compression or dictionary makes it small. */
  public static final byte[] BINARY_800_KB = new byte[800 * 1024];

  static {
    new Random(800).nextBytes(BINARY_800_KB);
  }

  /** One hostile record, keyed by its kind, and how its dead letter's reason starts. */
  public record Hostile(Message message, String reason) {}

  private final String good;
  private final String prefix;
  private final Map<String, Hostile> records = new LinkedHashMap<>();

  private HostileRecords(String good, String prefix) {
    this.good = good;
    this.prefix = prefix;
  }

  /**
   * The shared kinds around {@code goodJson}, a valid record with an {@code eventTime} field:
   * broken bytes and JSON, missing and mistyped fields, impossible times, oversized records,
   * duplicate fields and trailing content.
   *
   * @param requiredField a required text field, removed or repeated
   * @param idField a text field given the wrong type
   */
  public static HostileRecords around(String goodJson, String requiredField, String idField) {
    return around("", goodJson, requiredField, idField);
  }

  /**
   * As {@link #around(String, String, String)}, with every kind (and so every key) starting with
   * {@code prefix}, for two inputs of one job whose dead letters share a topic.
   */
  public static HostileRecords around(
      String prefix, String goodJson, String requiredField, String idField) {
    HostileRecords h = new HostileRecords(goodJson, prefix);
    String eventTime = h.tree().get("eventTime").asText();
    Instant time = Instant.parse(eventTime);
    h.raw(
        "invalid-utf8",
        "not valid JSON: Invalid UTF-8",
        concat(utf8("{\"" + idField + "\":\""), new byte[] {(byte) 0xC3, 0x28}, utf8("\"}")));
    h.text("truncated", "not valid JSON", goodJson.substring(0, goodJson.length() / 2));
    h.text("not-an-object", "field '(root)' has the wrong type", "[1,2]");
    h.text("json-null", "value is JSON null", "null");
    h.raw("no-value", "record has no value", null);
    h.with(
        "missing-field",
        "missing required field '" + requiredField + "'",
        json -> json.without(requiredField));
    h.with(
        "wrong-type",
        "field '" + idField + "' has the wrong type",
        json -> json.set(idField, MAPPER.createObjectNode().put("a", 1)));
    h.with(
        "epoch-millis-time",
        "field 'eventTime' must be an ISO-8601 instant",
        json -> json.put("eventTime", time.toEpochMilli()));
    h.with(
        "not-a-time",
        "field 'eventTime' is not an ISO-8601 instant",
        json -> json.put("eventTime", "yesterday"));
    h.with(
        "year-300000000",
        "eventTime +300000000-01-01T00:00:00Z is after 9999-12-31T23:59:59.999Z",
        json -> json.put("eventTime", "+300000000-01-01T00:00:00Z"));
    h.with(
        "before-epoch",
        "eventTime 1969-12-31T23:59:59Z is before 1970-01-01T00:00:00Z",
        json -> json.put("eventTime", "1969-12-31T23:59:59Z"));
    Instant twoHoursBefore = time.minusSeconds(7200);
    h.put(
        "two-hours-ahead",
        "eventTime "
            + time
            + " is more than PT1H ahead of the record's timestamp "
            + twoHoursBefore,
        Message.of(prefix + "two-hours-ahead", goodJson).at(twoHoursBefore));
    h.put(
        "binary-800kb",
        "record too large: "
            + (BINARY_800_KB.length + (prefix + "binary-800kb").length())
            + " bytes",
        Message.raw(prefix + "binary-800kb", BINARY_800_KB));
    h.with(
        "valid-300kb", "record too large: ", json -> json.put("padding", "x".repeat(300 * 1024)));
    h.text(
        "duplicate-field",
        "not valid JSON: Duplicate field '" + requiredField + "'",
        "{\"" + requiredField + "\":\"dup\"," + goodJson.substring(1));
    h.text(
        "trailing-garbage", "not valid JSON: content after the end of the value", goodJson + "{}");
    return h;
  }

  /** Adds the kind {@code kind}: the good record changed by {@code change}. */
  public HostileRecords with(String kind, String reason, UnaryOperator<ObjectNode> change) {
    return text(kind, reason, change.apply(tree()).toString());
  }

  /** Adds the kind {@code kind} with {@code value} as its text. */
  public HostileRecords text(String kind, String reason, String value) {
    return put(kind, reason, Message.of(prefix + kind, value));
  }

  private HostileRecords raw(String kind, String reason, byte[] value) {
    return put(kind, reason, Message.raw(prefix + kind, value));
  }

  private HostileRecords put(String kind, String reason, Message message) {
    records.put(prefix + kind, new Hostile(message, reason));
    return this;
  }

  /** Every hostile record by its key (the prefixed kind), in the order they were added. */
  public Map<String, Hostile> records() {
    return records;
  }

  /** {@code valid} with one hostile record after each, and the rest of either at the end. */
  public static List<Message> interleave(List<Message> valid, Map<String, Hostile> hostile) {
    List<Message> out = new ArrayList<>();
    List<Hostile> bad = List.copyOf(hostile.values());
    for (int i = 0; i < Math.max(valid.size(), bad.size()); i++) {
      if (i < valid.size()) {
        out.add(valid.get(i));
      }
      if (i < bad.size()) {
        out.add(bad.get(i).message());
      }
    }
    return out;
  }

  private ObjectNode tree() {
    try {
      return (ObjectNode) MAPPER.readTree(good);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not a JSON object: " + good, e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
