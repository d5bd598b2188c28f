package com.acme.shop.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
  private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

  /** The producer's default max.request.size, which a dead letter must always fit. */
  private static final int MAX_REQUEST_SIZE = 1024 * 1024;

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keepsTextAsText() throws Exception {
    RawRecord raw = new RawRecord("web.clickstream", 2, 41, utf8("42"), utf8("{oops"));
    DeadLetter dl = DeadLetter.of(raw, "activity-monitor", "not valid JSON", AT);
    assertThat(Json.text(dl))
        .isEqualTo(
            "{\"job\":\"activity-monitor\",\"sourceTopic\":\"web.clickstream\",\"partition\":2,"
                + "\"offset\":41,\"key\":\"42\",\"keyEncoding\":\"utf8\",\"keyBytes\":2,"
                + "\"keyTruncated\":false,\"keySha256\":null,\"value\":\"{oops\","
                + "\"valueEncoding\":\"utf8\",\"valueBytes\":5,\"valueTruncated\":false,"
                + "\"valueSha256\":\""
                + sha256(utf8("{oops"))
                + "\",\"error\":\"not valid JSON\",\"failedAt\":\"2026-11-23T10:00:00.000Z\"}");
    assertThat(Json.parse(utf8(Json.text(dl)), DeadLetter.class)).isEqualTo(dl);
  }

  @Test
  void keepsBinaryAsBase64AndNullsAsNull() {
    RawRecord raw = new RawRecord("t", 0, 1, null, new byte[] {(byte) 0xC3, (byte) 0x28});
    DeadLetter dl = DeadLetter.of(raw, "j", "bad", AT);
    assertThat(dl.key()).isNull();
    assertThat(dl.keyEncoding()).isNull();
    assertThat(dl.keyBytes()).isNull();
    assertThat(dl.keySha256()).isNull();
    assertThat(dl.value()).isEqualTo("wyg=");
    assertThat(dl.valueEncoding()).isEqualTo(DeadLetter.BASE64);
    assertThat(dl.valueBytes()).isEqualTo(2);
  }

  @Test
  void aNullValueHasNoSizeOrHash() {
    DeadLetter dl = DeadLetter.of(new RawRecord("t", 0, 1, utf8("k"), null), "j", "no value", AT);
    assertThat(dl.value()).isNull();
    assertThat(dl.valueEncoding()).isNull();
    assertThat(dl.valueBytes()).isNull();
    assertThat(dl.valueSha256()).isNull();
    assertThat(dl.valueTruncated()).isFalse();
  }

  @Test
  void aLargeBinaryValueIsCutButItsSizeAndHashAreKept() throws Exception {
    byte[] value = new byte[800 * 1024];
    new Random(7).nextBytes(value);
    DeadLetter dl = DeadLetter.of(new RawRecord("t", 0, 1, utf8("k"), value), "j", "big", AT);

    assertThat(dl.valueEncoding()).isEqualTo(DeadLetter.BASE64);
    assertThat(Base64.getDecoder().decode(dl.value()))
        .isEqualTo(Arrays.copyOf(value, DeadLetter.MAX_EMBEDDED_BYTES));
    assertThat(dl.valueTruncated()).isTrue();
    assertThat(dl.valueBytes()).isEqualTo(value.length);
    assertThat(dl.valueSha256()).isEqualTo(sha256(value));
    assertThat(dl.keyTruncated()).isFalse();
    assertThat(dl.keySha256()).isNull();
    assertThat(Json.bytes(dl).length).isLessThan(MAX_REQUEST_SIZE / 8);
  }

  @Test
  void largeTextIsCutBetweenCharactersNeverInsideOne() throws Exception {
    // Three-byte characters do not divide the limit: a cut at the limit would split one.
    String text = "€".repeat(DeadLetter.MAX_EMBEDDED_BYTES);
    DeadLetter dl = DeadLetter.of(new RawRecord("t", 0, 1, null, utf8(text)), "j", "big", AT);

    assertThat(dl.valueEncoding()).isEqualTo(DeadLetter.UTF8);
    assertThat(dl.value()).isEqualTo("€".repeat(DeadLetter.MAX_EMBEDDED_BYTES / 3));
    assertThat(dl.valueTruncated()).isTrue();
    assertThat(dl.valueBytes()).isEqualTo(3 * DeadLetter.MAX_EMBEDDED_BYTES);
  }

  @Test
  void aLargeKeyIsCutAndHashed() throws Exception {
    byte[] key = utf8("k".repeat(900 * 1024));
    DeadLetter dl = DeadLetter.of(new RawRecord("t", 0, 1, key, utf8("{}")), "j", "big", AT);

    assertThat(dl.key()).hasSize(DeadLetter.MAX_EMBEDDED_BYTES);
    assertThat(dl.keyTruncated()).isTrue();
    assertThat(dl.keyBytes()).isEqualTo(key.length);
    assertThat(dl.keySha256()).isEqualTo(sha256(key));
    assertThat(dl.valueTruncated()).isFalse();
  }

  @Test
  void theWorstCaseStillFitsOneProducerRequest() {
    // Control characters are written as six-byte escapes: the most JSON per embedded byte.
    byte[] controls = new byte[1024 * 1024];
    DeadLetter dl =
        DeadLetter.of(new RawRecord("t", 0, 1, controls, controls), "j", "x".repeat(1_000_000), AT);
    assertThat(dl.error()).hasSizeLessThan(DeadLetter.MAX_ERROR_CHARS + 30);
    assertThat(Json.bytes(dl).length).isLessThan(MAX_REQUEST_SIZE);
  }
}
