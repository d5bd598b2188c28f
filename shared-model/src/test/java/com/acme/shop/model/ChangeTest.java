package com.acme.shop.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.shop.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A change's event time is its commit time in the database. */
class ChangeTest {
  static final String ROW = "{\"id\":3}";

  static Change<ProductRow> parse(String json) {
    return Json.parse(
        json.getBytes(StandardCharsets.UTF_8),
        Json.mapper().getTypeFactory().constructParametricType(Change.class, ProductRow.class));
  }

  @Test
  void theEventTimeIsTheCommitTimeOfTheSourceBlock() {
    Change<ProductRow> change =
        parse("{\"after\":" + ROW + ",\"op\":\"c\",\"source\":{\"ts_ms\":1000},\"ts_ms\":1500}");
    assertThat(change.eventTime()).isEqualTo(Instant.ofEpochMilli(1000));
  }

  @Test
  void withoutASourceTimeTheEnvelopesTimeIsTheFallback() {
    assertThat(parse("{\"after\":" + ROW + ",\"op\":\"c\",\"ts_ms\":1500}").eventTime())
        .isEqualTo(Instant.ofEpochMilli(1500));
    assertThat(
            parse("{\"after\":" + ROW + ",\"op\":\"c\",\"source\":{\"db\":\"shop\"},\"ts_ms\":7}")
                .eventTime())
        .isEqualTo(Instant.ofEpochMilli(7));
  }

  @Test
  void aChangeWithoutAnyTimeBreaksTheSchema() {
    assertThatThrownBy(() -> parse("{\"after\":" + ROW + ",\"op\":\"c\"}"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("missing required field 'source.ts_ms'");
  }

  @Test
  void theEventTimeIsNotWrittenBack() {
    assertThat(Json.text(parse("{\"after\":" + ROW + ",\"op\":\"c\",\"ts_ms\":1}")))
        .doesNotContain("eventTime");
  }
}
