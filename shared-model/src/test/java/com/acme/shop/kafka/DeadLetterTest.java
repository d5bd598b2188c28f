package com.acme.shop.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
  private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void keepsTextAsText() {
    RawRecord raw =
        new RawRecord(
            "web.clickstream",
            2,
            41,
            "42".getBytes(StandardCharsets.UTF_8),
            "{oops".getBytes(StandardCharsets.UTF_8));
    DeadLetter dl = DeadLetter.of(raw, "activity-monitor", "not valid JSON", AT);
    assertThat(Json.text(dl))
        .isEqualTo(
            "{\"job\":\"activity-monitor\",\"sourceTopic\":\"web.clickstream\",\"partition\":2,"
                + "\"offset\":41,\"key\":\"42\",\"keyEncoding\":\"utf8\",\"value\":\"{oops\","
                + "\"valueEncoding\":\"utf8\",\"error\":\"not valid JSON\","
                + "\"failedAt\":\"2026-11-23T10:00:00.000Z\"}");
  }

  @Test
  void keepsBinaryAsBase64AndNullsAsNull() {
    RawRecord raw = new RawRecord("t", 0, 1, null, new byte[] {(byte) 0xC3, (byte) 0x28});
    DeadLetter dl = DeadLetter.of(raw, "j", "bad", AT);
    assertThat(dl.key()).isNull();
    assertThat(dl.keyEncoding()).isNull();
    assertThat(dl.value()).isEqualTo("wyg=");
    assertThat(dl.valueEncoding()).isEqualTo(DeadLetter.BASE64);
  }
}
