package com.acme.shop.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.ClickType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.ProcessJoinFunction;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.transformations.TwoInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The late side outputs of CEP and interval joins, and what a caught event becomes. */
class LateEventsTest {
  static final LateEvents<ClickEvent> LATE_CLICKS =
      LateEvents.of(
          "late-clicks",
          TypeInformation.of(ClickEvent.class),
          "web.clickstream",
          ClickEvent::userId);
  static final LateEvents<ClickEvent> LATE_CHECKOUTS =
      LateEvents.of(
          "late-checkouts",
          TypeInformation.of(ClickEvent.class),
          "web.clickstream",
          ClickEvent::userId);

  static ClickEvent click(String id, String user, ClickType type, long millis) {
    return new ClickEvent(id, user, "s-" + user, type, "/p", null, Instant.ofEpochMilli(millis));
  }

  static DataStream<ClickEvent> clicks() {
    return StreamExecutionEnvironment.getExecutionEnvironment()
        .fromData(List.of(click("x", "u", ClickType.PAGE_VIEW, 0)), Types.POJO(ClickEvent.class));
  }

  @Test
  void aLateEventBecomesItsTopicsKeyAndTheContractsJson() {
    ClickEvent event = click("e1", "u1", ClickType.SEARCH, 1_000);
    RawRecord record = LATE_CLICKS.toRawRecord(event);
    assertThat(record.topic()).isEqualTo("web.clickstream");
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("u1");
    assertThat(Json.parse(record.value(), ClickEvent.class)).isEqualTo(event);
    assertThat(record.offset()).isEqualTo(-1);
  }

  @Test
  void theRuleIsTheWindowsOneWithAllowedLateness() {
    assertThat(LateEvents.isLate(1_000, 0, Long.MIN_VALUE)).isFalse();
    assertThat(LateEvents.isLate(1_000, 0, 999)).isFalse();
    assertThat(LateEvents.isLate(1_000, 0, 1_000)).isTrue();
    assertThat(LateEvents.isLate(1_000, 500, 1_499)).isFalse();
    assertThat(LateEvents.isLate(1_000, 500, 1_500)).isTrue();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aPatternSendsEventsBehindItsWatermarkToTheLateSideOutput() throws Exception {
    Pattern<ClickEvent, ?> twoViews =
        Pattern.<ClickEvent>begin("first")
            .where(SimpleCondition.of(c -> c.type() == ClickType.PAGE_VIEW))
            .next("second")
            .where(SimpleCondition.of(c -> c.type() == ClickType.PAGE_VIEW));
    DataStream<String> matches =
        CepLateEvents.caughtIn(
                CEP.pattern(clicks().keyBy(ClickEvent::userId), twoViews), LATE_CLICKS)
            .process(
                new PatternProcessFunction<ClickEvent, String>() {
                  @Override
                  public void processMatch(
                      java.util.Map<String, List<ClickEvent>> match,
                      Context ctx,
                      Collector<String> out) {
                    out.collect(match.get("first").get(0).eventId());
                  }
                },
                Types.STRING);
    var transformation = (OneInputTransformation<ClickEvent, String>) matches.getTransformation();
    try (var harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            transformation.getOperatorFactory(),
            (KeySelector<ClickEvent, String>) transformation.getStateKeySelector(),
            Types.STRING)) {
      harness.open();
      harness.processElement(click("a", "u1", ClickType.PAGE_VIEW, 10_000), 10_000);
      harness.processWatermark(12_000);
      harness.processElement(click("late", "u1", ClickType.PAGE_VIEW, 12_000), 12_000);
      harness.processElement(click("b", "u1", ClickType.PAGE_VIEW, 13_000), 13_000);
      harness.processWatermark(20_000);

      assertThat(harness.extractOutputValues()).containsExactly("a");
      assertThat(harness.getSideOutput(LATE_CLICKS.tag()))
          .extracting(r -> r.getValue().eventId())
          .containsExactly("late");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void anIntervalJoinSendsEachSidesLateEventsToThatSidesSideOutput() throws Exception {
    var adds = clicks().keyBy(ClickEvent::userId);
    var checkouts = clicks().keyBy(ClickEvent::userId);
    DataStream<String> joined =
        LateEvents.caughtIn(
                adds.intervalJoin(checkouts).between(Duration.ZERO, Duration.ofMinutes(30)),
                LATE_CLICKS,
                LATE_CHECKOUTS)
            .process(
                new ProcessJoinFunction<ClickEvent, ClickEvent, String>() {
                  @Override
                  public void processElement(
                      ClickEvent add, ClickEvent checkout, Context ctx, Collector<String> out) {
                    out.collect(add.eventId() + "+" + checkout.eventId());
                  }
                },
                Types.STRING);
    var transformation =
        (TwoInputTransformation<ClickEvent, ClickEvent, String>) joined.getTransformation();
    var operator =
        (TwoInputStreamOperator<ClickEvent, ClickEvent, String>)
            ((SimpleOperatorFactory<String>) transformation.getOperatorFactory()).getOperator();
    try (var harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            operator,
            (KeySelector<ClickEvent, String>) transformation.getStateKeySelector1(),
            (KeySelector<ClickEvent, String>) transformation.getStateKeySelector2(),
            Types.STRING)) {
      harness.open();
      harness.processElement1(
          new StreamRecord<>(click("a1", "u1", ClickType.ADD_TO_CART, 10_000), 10_000));
      harness.processWatermark1(new org.apache.flink.streaming.api.watermark.Watermark(20_000));
      harness.processWatermark2(new org.apache.flink.streaming.api.watermark.Watermark(20_000));
      harness.processElement1(
          new StreamRecord<>(click("a0", "u1", ClickType.ADD_TO_CART, 5_000), 5_000));
      harness.processElement2(
          new StreamRecord<>(click("c0", "u1", ClickType.CHECKOUT, 9_000), 9_000));
      harness.processElement2(
          new StreamRecord<>(click("c1", "u1", ClickType.CHECKOUT, 25_000), 25_000));

      assertThat(harness.extractOutputValues()).containsExactly("a1+c1");
      assertThat(harness.getSideOutput(LATE_CLICKS.tag()))
          .extracting(r -> r.getValue().eventId())
          .containsExactly("a0");
      assertThat(harness.getSideOutput(LATE_CHECKOUTS.tag()))
          .extracting(r -> r.getValue().eventId())
          .containsExactly("c0");
    }
  }
}
