package com.acme.shop.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.shop.model.AccountCommand;
import com.acme.shop.model.AccountCommandType;
import com.acme.shop.model.AccountEvent;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.ClickType;
import com.acme.shop.model.InvalidEventException;
import com.acme.shop.model.LoginEvent;
import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.PageViewCount;
import com.acme.shop.model.PaymentTransaction;
import com.acme.shop.model.TransactionStatus;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  static final String CLICK =
      """
      {"eventId":"e1","userId":"42","sessionId":"s1","type":"page_view","page":"/home",
       "productId":null,"eventTime":"2026-11-23T09:15:00.250Z"}""";

  static final String TXN =
      """
      {"txnId":"t1","cardId":"4242","accountId":"a1","amount":12.50,"currency":"EUR",
       "merchantId":"m1","merchantCategory":"grocery","country":"DE","channel":"pos",
       "status":"approved","eventTime":"2026-11-23T09:15:00.250Z"}""";

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesAClickEvent() {
    ClickEvent click = Json.parse(bytes(CLICK), ClickEvent.class);
    assertThat(click)
        .isEqualTo(
            new ClickEvent(
                "e1",
                "42",
                "s1",
                ClickType.PAGE_VIEW,
                "/home",
                null,
                Instant.parse("2026-11-23T09:15:00.250Z")));
  }

  @Test
  void moneyIsExactAndTimesKeepMilliseconds() {
    PaymentTransaction txn = Json.parse(bytes(TXN), PaymentTransaction.class);
    assertThat(txn.amount()).isEqualTo(new BigDecimal("12.50"));
    assertThat(txn.status()).isEqualTo(TransactionStatus.APPROVED);
    assertThat(Json.text(txn))
        .contains("\"amount\":12.50")
        .contains("\"eventTime\":\"2026-11-23T09:15:00.250Z\"")
        .contains("\"channel\":\"pos\"");
  }

  @Test
  void writesOutputsInTheContractsForm() {
    var out =
        new PageViewCount(
            "/home",
            Instant.parse("2026-11-23T09:15:00Z"),
            Instant.parse("2026-11-23T09:16:00Z"),
            3,
            2);
    assertThat(Json.text(out))
        .isEqualTo(
            "{\"page\":\"/home\",\"windowStart\":\"2026-11-23T09:15:00.000Z\","
                + "\"windowEnd\":\"2026-11-23T09:16:00.000Z\",\"views\":3,\"uniqueUsers\":2}");
  }

  @Test
  void idsMayBeNumbersAndUnknownFieldsAreIgnored() {
    LoginEvent login =
        Json.parse(
            bytes(
                """
                {"eventId":"l1","userId":7,"success":true,"ip":"10.0.0.1","country":"FR",
                 "deviceId":"d1","eventTime":"2026-11-23T09:15:00.000Z","extra":{"a":1}}"""),
            LoginEvent.class);
    assertThat(login.userId()).isEqualTo("7");
  }

  @Test
  void commandsNeedTheFieldsOfTheirType() {
    AccountCommand open =
        Json.parse(
            bytes(
                """
                {"commandId":"c1","accountId":"a1","type":"OpenAccount","owner":"Ada",
                 "eventTime":"2026-11-23T09:15:00.000Z"}"""),
            AccountCommand.class);
    assertThat(open.type()).isEqualTo(AccountCommandType.OPEN_ACCOUNT);
    assertThatThrownBy(
            () ->
                Json.parse(
                    bytes(
                        """
                        {"commandId":"c2","accountId":"a1","type":"Deposit",
                         "eventTime":"2026-11-23T09:15:00.000Z"}"""),
                    AccountCommand.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("missing required field 'amount'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON           | hello                                      | not valid JSON",
        "truncated          | {\"eventId\":\"e1\",\"userId\":            | not valid JSON",
        "array              | [1,2]                                      | wrong type",
        "JSON null          | null                                       | value is JSON null",
        "missing field      | {\"eventId\":\"e1\",\"sessionId\":\"s\",\"type\":\"search\",\"page\":\"/\",\"eventTime\":\"2026-11-23T09:15:00.000Z\"} | missing required field 'userId'",
        "blank id           | {\"eventId\":\" \",\"userId\":\"1\",\"sessionId\":\"s\",\"type\":\"search\",\"page\":\"/\",\"eventTime\":\"2026-11-23T09:15:00.000Z\"} | field 'eventId' must not be blank",
        "unknown type       | {\"eventId\":\"e1\",\"userId\":\"1\",\"sessionId\":\"s\",\"type\":\"hover\",\"page\":\"/\",\"eventTime\":\"2026-11-23T09:15:00.000Z\"} | unknown ClickType 'hover'",
        "bad time           | {\"eventId\":\"e1\",\"userId\":\"1\",\"sessionId\":\"s\",\"type\":\"search\",\"page\":\"/\",\"eventTime\":\"yesterday\"} | field 'eventTime' is not an ISO-8601 instant: yesterday",
        "epoch time         | {\"eventId\":\"e1\",\"userId\":\"1\",\"sessionId\":\"s\",\"type\":\"search\",\"page\":\"/\",\"eventTime\":1763889300000} | field 'eventTime' must be an ISO-8601 instant",
        "object as id       | {\"eventId\":{\"a\":1},\"userId\":\"1\",\"sessionId\":\"s\",\"type\":\"search\",\"page\":\"/\",\"eventTime\":\"2026-11-23T09:15:00.000Z\"} | field 'eventId' has the wrong type",
      })
  void rejectsPoisonClicksWithAReason(String kind, String json, String reason) {
    assertThatThrownBy(() -> Json.parse(bytes(json), ClickEvent.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "amount {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "12.505   | has more than 2 decimals: 12.505",
        "\"abc\"  | is not a decimal amount: abc",
        "true     | must be a number",
      })
  void rejectsBadAmounts(String amount, String reason) {
    String json = TXN.replace("12.50", amount);
    assertThatThrownBy(() -> Json.parse(bytes(json), PaymentTransaction.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "amount {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1e-999999999       | has more than 2 decimals: 1E-999999999",
        "\"1e-999999999\"   | has more than 2 decimals: 1E-999999999",
        "0.001              | has more than 2 decimals: 0.001",
        "1e20000            | is out of range (more than 10 integer digits): 1E+20000",
        "\"1e20000\"        | is out of range (more than 10 integer digits): 1E+20000",
        "1e2147483647       | is out of range (more than 10 integer digits): 1E+2147483647",
        "10000000000        | is out of range (more than 10 integer digits): 10000000000",
        "-0.01              | field 'amount' must not be negative: -0.01",
      })
  void rejectsAmountsANumeric12Comma2CannotHoldWithAShortReason(String amount, String reason) {
    String json = TXN.replace("12.50", amount);
    assertThatThrownBy(() -> Json.parse(bytes(json), PaymentTransaction.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(100));
  }

  @Test
  void aHugeDecimalStringIsNotReadAndOnlyItsStartIsQuoted() {
    String digits = "1".repeat(100_000);
    String json = TXN.replace("12.50", '"' + digits + '"');
    assertThatThrownBy(() -> Json.parse(bytes(json), PaymentTransaction.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage(
            "field 'amount' is not a decimal amount: " + "1".repeat(40) + "... (100000 chars)");
  }

  @ParameterizedTest(name = "amount {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "12.500           | 12.50",
        "12.5             | 12.50",
        "12               | 12.00",
        "1.2E+1           | 12.00",
        "0                | 0.00",
        "0e-999999999     | 0.00",
        "9999999999.99    | 9999999999.99",
        "\"12.500\"       | 12.50",
      })
  void normalisesAcceptedAmountsToTwoDecimals(String amount, String normalised) {
    PaymentTransaction txn =
        Json.parse(bytes(TXN.replace("12.50", amount)), PaymentTransaction.class);
    assertThat(txn.amount()).isEqualTo(new BigDecimal(normalised)).hasScaleOf(2);
    assertThat(Json.text(txn)).contains("\"amount\":" + normalised + ",");
  }

  @Test
  void accountCommandsMayNotHaveANegativeAmountButMayHaveZeroForTheLedgerToReject() {
    String withdraw =
        """
        {"commandId":"c1","accountId":"a1","type":"Withdraw","amount":-5.5,
         "eventTime":"2026-11-23T09:15:00.000Z"}""";
    assertThatThrownBy(() -> Json.parse(bytes(withdraw), AccountCommand.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("field 'amount' must not be negative: -5.50");
    AccountCommand zero = Json.parse(bytes(withdraw.replace("-5.5", "0")), AccountCommand.class);
    assertThat(zero.amount()).isEqualTo(new BigDecimal("0.00"));
  }

  @Test
  void accountEventsAreCheckedLikeEveryInput() {
    String deposit =
        """
        {"eventId":"a1#2","accountId":"a1","sequence":2,"type":"MoneyDeposited","amount":5.5,
         "commandId":"c2","eventTime":"2026-11-23T09:15:00.000Z"}""";
    assertThat(Json.parse(bytes(deposit), AccountEvent.class).amount())
        .isEqualTo(new BigDecimal("5.50"));
    assertThatThrownBy(() -> Json.parse(bytes(deposit.replace("5.5", "0")), AccountEvent.class))
        .hasMessage("field 'amount' must be positive for MoneyDeposited: 0.00");
    assertThatThrownBy(
            () ->
                Json.parse(
                    bytes(deposit.replace("\"sequence\":2", "\"sequence\":0")), AccountEvent.class))
        .hasMessage("field 'sequence' must be at least 1: 0");
    assertThatThrownBy(
            () ->
                Json.parse(bytes(deposit.replace("\"commandId\":\"c2\",", "")), AccountEvent.class))
        .hasMessage("missing required field 'commandId'");
    assertThatThrownBy(
            () ->
                Json.parse(
                    bytes(deposit.replace("MoneyDeposited", "AccountClosed")), AccountEvent.class))
        .hasMessage("field 'amount' must be absent for AccountClosed");
    assertThatThrownBy(
            () ->
                Json.parse(
                    bytes(deposit.replace("\"sequence\":2", "\"sequence\":\"x\"")),
                    AccountEvent.class))
        .isInstanceOf(InvalidEventException.class);
  }

  @Test
  void orderEventsMayNotHaveANegativeAmount() {
    assertThatThrownBy(
            () ->
                Json.parse(
                    bytes(
                        """
                        {"eventId":"e1","orderId":"o1","type":"OrderPlaced","customerId":"c1",
                         "amount":-1,"eventTime":"2026-11-23T09:15:00.000Z"}"""),
                    OrderEvent.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("field 'amount' must not be negative: -1.00");
  }

  @Test
  void aFieldGivenTwiceIsRejected() {
    String json = CLICK.replace("\"userId\":\"42\"", "\"userId\":\"42\",\"userId\":\"43\"");
    assertThatThrownBy(() -> Json.parse(bytes(json), ClickEvent.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("not valid JSON: Duplicate field 'userId'");
  }

  @Test
  void aFieldGivenTwiceInANestedObjectIsRejected() {
    String json = CLICK.replace("}", ",\"extra\":{\"a\":1,\"a\":2}}");
    assertThatThrownBy(() -> Json.parse(bytes(json), ClickEvent.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("not valid JSON: Duplicate field 'a'");
  }

  @Test
  void invalidUtf8InsideAFieldIsReportedAsBrokenJson() {
    byte[] json = bytes(CLICK.replace("/home", "/h\u00e9me"));
    int e = new String(json, StandardCharsets.ISO_8859_1).indexOf('\u00c3');
    json[e + 1] = '('; // the second byte of é
    byte[] broken = json;
    assertThatThrownBy(() -> Json.parse(broken, ClickEvent.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("not valid JSON: Invalid UTF-8 middle byte 0x28 (in field 'page')");
  }

  @Test
  void aSecondValueIsReportedAsTrailingContent() {
    assertThatThrownBy(() -> Json.parse(bytes(CLICK + CLICK), ClickEvent.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("not valid JSON: content after the end of the value");
  }

  @ParameterizedTest
  @ValueSource(strings = {" x", "{}", "]", "null", ",", " 1"})
  void anythingAfterTheValueIsRejected(String garbage) {
    assertThatThrownBy(() -> Json.parse(bytes(CLICK + garbage), ClickEvent.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("not valid JSON");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown type  | \"type\":\"page_view\"            | \"type\":\"%s\"",
        "bad time      | \"eventTime\":\"2026-11-23T09:15:00.250Z\" | \"eventTime\":\"%s\"",
        "bad token     | \"page\":\"/home\"                | \"page\":%s",
        "field name    | \"page\":\"/home\"                | \"%s\":1,\"%<s\":2",
      })
  void reasonsStayShortWhateverTheInput(String kind, String field, String hostile) {
    String huge = "x".repeat(300_000);
    String json = CLICK.replace(field, hostile.formatted(huge));
    assertThatThrownBy(() -> Json.parse(bytes(json), ClickEvent.class))
        .isInstanceOf(InvalidEventException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThanOrEqualTo(330));
  }

  @Test
  void acceptsDecimalStringsAsDebeziumSendsThem() {
    PaymentTransaction txn =
        Json.parse(bytes(TXN.replace("12.50", "\"12.50\"")), PaymentTransaction.class);
    assertThat(txn.amount()).isEqualTo(new BigDecimal("12.50"));
  }

  @Test
  void trailingGarbageAfterAValidEventIsRejected() {
    assertThatThrownBy(() -> Json.parse(bytes(CLICK + " x"), ClickEvent.class))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("not valid JSON");
  }

  @Test
  void noValueIsRejected() {
    assertThatThrownBy(() -> Json.parse(null, ClickEvent.class)).hasMessage("record has no value");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-23T09:15:00.250Z",
        "2026-11-23T09:15:00Z",
        "2026-11-23T09:15:00.1Z",
        "2026-11-23T09:15:00.123456Z",
        "2026-11-23T09:15:00.123456789Z",
        "2026-11-23T09:15:00.1234567890Z",
        "2026-11-23T09:15:00.Z",
        "2024-02-29T23:59:59.999Z",
        "2026-02-29T00:00:00.000Z",
        "2026-04-31T00:00:00.000Z",
        "2026-13-01T00:00:00.000Z",
        "2026-11-23T24:00:00.000Z",
        "2026-11-23T23:60:00.000Z",
        "2026-11-23T23:59:60.000Z",
        "0000-01-01T00:00:00.000Z",
        "2026-11-23T09:15Z",
        "2026-11-23T09:15:00.250+01:00",
        "2026-11-23t09:15:00.250z",
        "2026-11-23T09:15:00,250Z",
        "2026-11-2AT09:15:00.250Z",
        "+12026-11-23T09:15:00.250Z",
        "2026-11-23 09:15:00.250Z",
        "2026-11-23T09:15:00.250"
      })
  void readsInstantsExactlyAsTheIsoFormatterDoes(String text) {
    Instant expected;
    try {
      expected = java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
    } catch (java.time.format.DateTimeParseException e) {
      assertThatThrownBy(() -> Json.parseInstant(text))
          .isInstanceOf(java.time.format.DateTimeParseException.class);
      return;
    }
    assertThat(Json.parseInstant(text)).isEqualTo(expected);
  }
}
