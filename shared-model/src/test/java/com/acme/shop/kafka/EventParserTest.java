package com.acme.shop.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.shop.model.Change;
import com.acme.shop.model.ChangeOp;
import com.acme.shop.model.InvalidEventException;
import com.acme.shop.model.OrderRow;
import com.acme.shop.model.OrderStatus;
import com.acme.shop.model.ProductRow;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventParserTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesADebeziumCreate() throws Exception {
    String json =
        """
        {"before":null,"after":{"id":17,"customer_id":4,"product_id":9,"quantity":2,
          "total":"59.80","status":"NEW","created_at":"2026-11-23T09:15:00.123456Z",
          "updated_at":"2026-11-23T09:15:00.123456Z"},
         "source":{"version":"3.6.1.Final","connector":"postgresql","name":"shop","db":"shop",
          "schema":"public","table":"orders","txId":771,"lsn":2455880,"ts_ms":1763889300123,
          "snapshot":"false"},
         "op":"c","ts_ms":1763889300130,"transaction":null}""";
    Change<OrderRow> change = EventParser.debezium(OrderRow.class).parse(bytes(json));
    assertThat(change.op()).isEqualTo(ChangeOp.CREATE);
    assertThat(change.current().total()).isEqualTo(new BigDecimal("59.80"));
    assertThat(change.current().status()).isEqualTo(OrderStatus.NEW);
    assertThat(change.current().createdAt())
        .isEqualTo(Instant.parse("2026-11-23T09:15:00.123456Z"));
    assertThat(change.source().table()).isEqualTo("orders");
  }

  @Test
  void aDeleteHasOnlyTheOldRowAndNoCurrentOne() throws Exception {
    String json =
        """
        {"before":{"id":3,"sku":"SKU-3","name":"Lamp","category":"home","price":"19.99",
          "updated_at":"2026-11-23T09:15:00Z"},"after":null,"op":"d","ts_ms":1}""";
    Change<ProductRow> change = EventParser.debezium(ProductRow.class).parse(bytes(json));
    assertThat(change.op()).isEqualTo(ChangeOp.DELETE);
    assertThat(change.before().price()).isEqualTo(new BigDecimal("19.99"));
    assertThat(change.current()).isNull();
  }

  static final String PRODUCT_CREATE =
      """
      {"before":null,"after":{"id":3,"sku":"SKU-3","name":"Lamp","category":"home","price":"%s",
        "updated_at":"2026-11-23T09:15:00Z"},"op":"c","ts_ms":1}""";

  @Test
  void rowPricesAreNormalisedToTwoDecimals() throws Exception {
    Change<ProductRow> change =
        EventParser.debezium(ProductRow.class).parse(bytes(PRODUCT_CREATE.formatted("19.9")));
    assertThat(change.current().price()).isEqualTo(new BigDecimal("19.90")).hasScaleOf(2);
  }

  @Test
  void aRowMayHoldANegativePriceAsTheTableDoes() throws Exception {
    // The table is the truth the read models must equal; the column allows negative values.
    Change<ProductRow> change =
        EventParser.debezium(ProductRow.class).parse(bytes(PRODUCT_CREATE.formatted("-1.5")));
    assertThat(change.current().price()).isEqualTo(new BigDecimal("-1.50"));
  }

  @Test
  void aRowPriceANumeric12Comma2CannotHoldBreaksTheSchema() {
    EventParser<Change<ProductRow>> parser = EventParser.debezium(ProductRow.class);
    assertThatThrownBy(() -> parser.parse(bytes(PRODUCT_CREATE.formatted("1e-999999999"))))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("field 'price' has more than 2 decimals: 1E-999999999");
    assertThatThrownBy(() -> parser.parse(bytes(PRODUCT_CREATE.formatted("1e20000"))))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("field 'price' is out of range (more than 10 integer digits): 1E+20000");
  }

  @Test
  void aDuplicateFieldInAChangeBreaksIt() {
    String json =
        PRODUCT_CREATE.formatted("1.00").replace("\"op\":\"c\"", "\"op\":\"c\",\"op\":\"d\"");
    assertThatThrownBy(() -> EventParser.debezium(ProductRow.class).parse(bytes(json)))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("not valid JSON: Duplicate field 'op'");
  }

  @Test
  void aDomainEventWithoutAValueIsRejected() {
    assertThatThrownBy(() -> EventParser.json(OrderRow.class).parse(null))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("record has no value");
  }

  @Test
  void tombstonesAreSkippedNotRejected() throws Exception {
    assertThat(EventParser.debezium(ProductRow.class).parse(null)).isNull();
  }

  @Test
  void anUpdateWithoutTheOldRowBreaksTheSchema() {
    String json = "{\"before\":null,\"after\":{\"id\":3},\"op\":\"u\"}";
    assertThatThrownBy(() -> EventParser.debezium(ProductRow.class).parse(bytes(json)))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("missing required field 'before'");
  }

  @Test
  void anUnknownOperationBreaksTheSchema() {
    String json = "{\"after\":{\"id\":3},\"op\":\"x\"}";
    assertThatThrownBy(() -> EventParser.debezium(ProductRow.class).parse(bytes(json)))
        .hasMessageContaining("unknown ChangeOp 'x'");
  }
}
