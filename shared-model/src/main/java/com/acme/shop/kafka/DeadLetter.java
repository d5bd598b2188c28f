package com.acme.shop.kafka;

import com.acme.shop.model.InvalidEventException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A record a job could not accept, wrapped with where it came from and why ({@code dlq.<job>}). Key
 * and value are kept as received: as text when they are valid UTF-8, otherwise base64, which {@code
 * keyEncoding} and {@code valueEncoding} say.
 *
 * <p>A dead letter must always fit the producer's 1 MB request limit, or the dead-letter sink fails
 * and the job restarts forever. So at most the first {@link #MAX_EMBEDDED_BYTES} of key and of
 * value are embedded ({@code keyTruncated}, {@code valueTruncated} say when that cut something),
 * and nothing is lost unnoticed: {@code keyBytes} and {@code valueBytes} give the original sizes,
 * {@code valueSha256} the SHA-256 of the whole value, {@code keySha256} that of the whole key when
 * it was cut. The error is cut to {@link #MAX_ERROR_CHARS}.
 */
public record DeadLetter(
    String job,
    String sourceTopic,
    int partition,
    long offset,
    String key,
    String keyEncoding,
    Integer keyBytes,
    boolean keyTruncated,
    String keySha256,
    String value,
    String valueEncoding,
    Integer valueBytes,
    boolean valueTruncated,
    String valueSha256,
    String error,
    Instant failedAt) {

  public static final String UTF8 = "utf8";
  public static final String BASE64 = "base64";

  /** How much of the key and of the value a dead letter embeds, in bytes of the original. */
  public static final int MAX_EMBEDDED_BYTES = 64 * 1024;

  public static final int MAX_ERROR_CHARS = 300;

  public static DeadLetter of(RawRecord raw, String job, String error, Instant failedAt) {
    Embedded key = Embedded.of(raw.key());
    Embedded value = Embedded.of(raw.value());
    return new DeadLetter(
        job,
        raw.topic(),
        raw.partition(),
        raw.offset(),
        key.text(),
        key.encoding(),
        key.bytes(),
        key.truncated(),
        key.truncated() ? key.sha256() : null,
        value.text(),
        value.encoding(),
        value.bytes(),
        value.truncated(),
        value.sha256(),
        InvalidEventException.truncate(error, MAX_ERROR_CHARS),
        failedAt);
  }

  /** What a dead letter holds of one byte array; all null for a null array. */
  private record Embedded(
      String text, String encoding, Integer bytes, boolean truncated, String sha256) {

    static Embedded of(byte[] bytes) {
      if (bytes == null) {
        return new Embedded(null, null, null, false, null);
      }
      boolean utf8 = isUtf8(bytes);
      int end = Math.min(bytes.length, MAX_EMBEDDED_BYTES);
      if (utf8) {
        while (end < bytes.length && isContinuationByte(bytes[end])) {
          end--; // cut before a character, never inside one
        }
      }
      byte[] embedded = end == bytes.length ? bytes : Arrays.copyOf(bytes, end);
      return new Embedded(
          utf8
              ? new String(embedded, StandardCharsets.UTF_8)
              : Base64.getEncoder().encodeToString(embedded),
          utf8 ? UTF8 : BASE64,
          bytes.length,
          end < bytes.length,
          sha256(bytes));
    }

    private static boolean isContinuationByte(byte b) {
      return (b & 0xC0) == 0x80;
    }

    private static boolean isUtf8(byte[] bytes) {
      try {
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes));
        return true;
      } catch (CharacterCodingException e) {
        return false;
      }
    }

    private static String sha256(byte[] bytes) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-256", e);
      }
    }
  }
}
