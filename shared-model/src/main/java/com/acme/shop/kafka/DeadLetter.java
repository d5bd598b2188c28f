package com.acme.shop.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A record a job could not accept, wrapped with where it came from and why ({@code dlq.<job>}). Key
 * and value are kept as received: as text when they are valid UTF-8, otherwise base64, which {@code
 * keyEncoding} and {@code valueEncoding} say.
 */
public record DeadLetter(
    String job,
    String sourceTopic,
    int partition,
    long offset,
    String key,
    String keyEncoding,
    String value,
    String valueEncoding,
    String error,
    Instant failedAt) {

  public static final String UTF8 = "utf8";
  public static final String BASE64 = "base64";

  public static DeadLetter of(RawRecord raw, String job, String error, Instant failedAt) {
    String key = asText(raw.key());
    String value = asText(raw.value());
    return new DeadLetter(
        job,
        raw.topic(),
        raw.partition(),
        raw.offset(),
        key != null || raw.key() == null ? key : base64(raw.key()),
        encoding(raw.key(), key),
        value != null || raw.value() == null ? value : base64(raw.value()),
        encoding(raw.value(), value),
        error,
        failedAt);
  }

  private static String encoding(byte[] bytes, String text) {
    if (bytes == null) {
      return null;
    }
    return text != null ? UTF8 : BASE64;
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The bytes as text when they are valid UTF-8, {@code null} otherwise. */
  private static String asText(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
