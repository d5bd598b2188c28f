package com.acme.shop.json;

import static com.acme.shop.model.InvalidEventException.quote;

import com.acme.shop.model.InvalidEventException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.stream.Collectors;

/**
 * The one JSON dialect of the project: ISO-8601 UTC instants with milliseconds, money as plain
 * decimal numbers read into {@link BigDecimal}, unknown fields ignored (producers may add fields)
 * but a field given twice or anything after the value rejected, and every parse failure turned into
 * an {@link InvalidEventException} whose short message says what is wrong, for the dead-letter
 * topic.
 */
public final class Json {
  private Json() {}

  /** Instants are written with exactly three fraction digits, as the contract shows them. */
  static final DateTimeFormatter INSTANT_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Failure messages go into dead letters; this keeps one short whatever the input. */
  static final int MAX_REASON_CHARS = 300;

  private static final ObjectMapper MAPPER = createMapper();

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static ObjectMapper createMapper() {
    SimpleModule contract = new SimpleModule("shop-contract");
    contract.addSerializer(Instant.class, new InstantSerializer());
    contract.addDeserializer(Instant.class, new InstantDeserializer());
    contract.addDeserializer(BigDecimal.class, new MoneyDeserializer());
    return new ObjectMapper()
        .registerModule(contract)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
        .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true)
        .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
        // Which of two values would win depends on the reader; the contract has one per field.
        .configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true)
        .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
        .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);
  }

  public static <T> T parse(byte[] json, Class<T> type) {
    return parse(json, MAPPER.constructType(type));
  }

  public static <T> T parse(byte[] json, JavaType type) {
    if (json == null) {
      throw new InvalidEventException("record has no value");
    }
    try {
      T value = MAPPER.readValue(json, type);
      if (value == null) {
        throw new InvalidEventException("value is JSON null");
      }
      return value;
    } catch (IOException e) {
      throw new InvalidEventException(describe(e));
    }
  }

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  public static String text(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  public static String formatInstant(Instant instant) {
    return INSTANT_MILLIS.format(instant);
  }

  /**
   * An ISO-8601 date-time with an offset, as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} reads
   * it. Every event has a time, and that formatter was half the cost of parsing one, so the
   * contract's own shape ({@code 2026-11-23T09:15:00.250Z}, with 0 to 9 fraction digits) is read by
   * hand; anything else, valid or not, is left to the formatter, so the two never disagree.
   *
   * @throws DateTimeParseException when the text is not such a date-time
   */
  static Instant parseInstant(String text) {
    Instant utc = parseUtcFast(text);
    return utc != null ? utc : DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
  }

  private static final int[] POWERS_OF_TEN = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  /** {@code uuuu-MM-ddTHH:mm:ss[.fraction]Z}, or null when the text has another shape. */
  private static Instant parseUtcFast(String s) {
    int n = s.length();
    if (n < 20
        || n == 21
        || n > 30
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z'
        || (n > 20 && s.charAt(19) != '.')) {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    int fractionDigits = n > 20 ? n - 21 : 0;
    int fraction = fractionDigits > 0 ? digits(s, 20, fractionDigits) : 0;
    if ((year | month | day | hour | minute | second | fraction) < 0) {
      return null;
    }
    try {
      return LocalDateTime.of(
              year, month, day, hour, minute, second, fraction * POWERS_OF_TEN[9 - fractionDigits])
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null; // out of range, e.g. February 30th: the formatter says why
    }
  }

  /** The decimal value of {@code length} digits at {@code from}, or -1 if one is not a digit. */
  private static int digits(String s, int from, int length) {
    int value = 0;
    for (int i = from; i < from + length; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** A reason a person can act on: which field, and what was wrong with it; never long. */
  static String describe(IOException e) {
    return InvalidEventException.truncate(describeInFull(e), MAX_REASON_CHARS);
  }

  private static String describeInFull(IOException e) {
    if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
      return vie.getCause().getMessage();
    }
    if (e instanceof JsonMappingException jme) {
      Throwable cause = jme.getCause();
      if (cause instanceof InvalidEventException) {
        return cause.getMessage();
      }
      if (cause instanceof StreamReadException broken) {
        // Broken JSON inside a field's value, such as invalid UTF-8 in a string.
        return "not valid JSON: "
            + firstLine(broken.getOriginalMessage())
            + " (in field '"
            + path(jme)
            + "')";
      }
      if (isTrailingContent(jme)) {
        return "not valid JSON: content after the end of the value";
      }
      String field = path(jme);
      if (jme instanceof InvalidFormatException ife) {
        return "field '" + field + "' has an invalid value: " + quote(ife.getValue());
      }
      if (jme instanceof MismatchedInputException mie && mie.getTargetType() != null) {
        return "field '"
            + field
            + "' has the wrong type (expected "
            + mie.getTargetType().getSimpleName()
            + ")";
      }
      return "field '" + field + "': " + jme.getOriginalMessage();
    }
    return "not valid JSON: " + firstLine(e.getMessage());
  }

  /** What FAIL_ON_TRAILING_TOKENS reports; Jackson has no subclass for it, only its message. */
  private static boolean isTrailingContent(JsonMappingException e) {
    return e instanceof MismatchedInputException
        && String.valueOf(e.getOriginalMessage()).startsWith("Trailing token");
  }

  private static String path(JsonMappingException e) {
    String path =
        e.getPath().stream()
            .map(
                ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
            .collect(Collectors.joining("."));
    return path.isEmpty() ? "(root)" : path;
  }

  private static String firstLine(String message) {
    int nl = message == null ? -1 : message.indexOf('\n');
    return nl < 0 ? String.valueOf(message) : message.substring(0, nl);
  }

  private static final class InstantSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(INSTANT_MILLIS.format(value));
    }
  }

  /** Only ISO-8601 text is a time here; epoch numbers are a producer bug the DLQ should show. */
  private static final class InstantDeserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw new InvalidEventException(
            "field '"
                + p.currentName()
                + "' must be an ISO-8601 instant, got "
                + quote(p.getText()));
      }
      String text = p.getText();
      try {
        return parseInstant(text);
      } catch (DateTimeParseException e) {
        throw new InvalidEventException(
            "field '" + p.currentName() + "' is not an ISO-8601 instant: " + quote(text));
      }
    }
  }

  /**
   * Money comes as a JSON number, or as a decimal string from Debezium. Never via double. A string
   * is held to the parser's limit on the length of a number, as a JSON number would be; its range
   * and decimals are the model's to check.
   */
  private static final class MoneyDeserializer extends JsonDeserializer<BigDecimal> {
    @Override
    public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
        return p.getDecimalValue();
      }
      if (token == JsonToken.VALUE_STRING) {
        String text = p.getText().trim();
        try {
          if (text.length() <= p.streamReadConstraints().getMaxNumberLength()) {
            return new BigDecimal(text);
          }
        } catch (NumberFormatException e) {
          // reported below
        }
        throw new InvalidEventException(
            "field '" + p.currentName() + "' is not a decimal amount: " + quote(text));
      }
      throw new InvalidEventException(
          "field '" + p.currentName() + "' must be a number, got " + token);
    }
  }
}
