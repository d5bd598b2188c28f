package com.acme.shop.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.ClickType;
import com.acme.shop.model.EventTimed;
import com.acme.shop.model.OrderEvent;
import com.acme.shop.model.OrderEventType;
import com.acme.shop.model.PaymentTransaction;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GeneratorsTest {
  static final Instant START = Instant.parse("2026-11-23T09:00:00Z");

  static GeneratorSettings settings(double fraud, double bad) {
    return new GeneratorSettings(
        7, START, Duration.ofMillis(10), fraud, bad, 0, Duration.ofSeconds(2));
  }

  static List<Arguments> generators() {
    return List.of(
        Arguments.of(
            "payments",
            (BiFunction<String, GeneratorSettings, TopicGenerator>) PaymentsGenerator::new,
            PaymentTransaction.class),
        Arguments.of(
            "logins",
            (BiFunction<String, GeneratorSettings, TopicGenerator>) LoginsGenerator::new,
            com.acme.shop.model.LoginEvent.class),
        Arguments.of(
            "clicks",
            (BiFunction<String, GeneratorSettings, TopicGenerator>) ClickstreamGenerator::new,
            ClickEvent.class),
        Arguments.of(
            "commands",
            (BiFunction<String, GeneratorSettings, TopicGenerator>) AccountCommandsGenerator::new,
            com.acme.shop.model.AccountCommand.class),
        Arguments.of(
            "orders",
            (BiFunction<String, GeneratorSettings, TopicGenerator>) OrderEventsGenerator::new,
            com.acme.shop.model.OrderEvent.class));
  }

  static List<RawRecord> generate(TopicGenerator generator, long from, long to) {
    return LongStream.range(from, to).mapToObj(generator::map).toList();
  }

  static <T> T parseOrNull(RawRecord r, Class<T> type) {
    try {
      return Json.parse(r.value(), type);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("generators")
  void isReproducibleAndEveryIndexStandsAlone(
      String name, BiFunction<String, GeneratorSettings, TopicGenerator> make, Class<?> type) {
    List<RawRecord> first = generate(make.apply("t", settings(0.05, 0.02)), 0, 3_000);
    List<RawRecord> again = generate(make.apply("t", settings(0.05, 0.02)), 0, 3_000);
    for (int i = 0; i < first.size(); i++) {
      assertThat(again.get(i).value()).isEqualTo(first.get(i).value());
    }
    RawRecord alone = make.apply("t", settings(0.05, 0.02)).map(1_234L);
    assertThat(alone.value()).isEqualTo(first.get(1_234).value());
    assertThat(alone.key()).isEqualTo(first.get(1_234).key());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("generators")
  void worksAfterBeingShippedToATaskManager(
      String name, BiFunction<String, GeneratorSettings, TopicGenerator> make, Class<?> type)
      throws Exception {
    TopicGenerator original = make.apply("t", settings(0.05, 0.02));
    // A cluster deserialises the function, which leaves transient fields at their zero value.
    TopicGenerator shipped =
        InstantiationUtil.clone(original, GeneratorsTest.class.getClassLoader());
    assertThat(shipped.map(0L).value()).isEqualTo(original.map(0L).value());
    assertThat(shipped.map(1L).value()).isEqualTo(original.map(1L).value());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("generators")
  void writesValidEventsInTimeOrderWithinTheDisorder(
      String name, BiFunction<String, GeneratorSettings, TopicGenerator> make, Class<?> type) {
    List<RawRecord> records = generate(make.apply("t", settings(0.05, 0)), 0, 5_000);
    for (int i = 0; i < records.size(); i++) {
      EventTimed event = (EventTimed) Json.parse(records.get(i).value(), type);
      Instant slot = START.plusMillis(10L * i);
      if (event instanceof OrderEvent o
          && o.orderId().startsWith(OrderEventsGenerator.SLOW_ORDER_PREFIX)
          && o.type() == OrderEventType.ORDER_PLACED) {
        slot = slot.minus(OrderEventsGenerator.SLOW_BY); // planted: answered after its deadline
      }
      assertThat(event.eventTime()).isBetween(slot.minusSeconds(2), slot);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("generators")
  void breaksTheSchemaForTheBadShare(
      String name, BiFunction<String, GeneratorSettings, TopicGenerator> make, Class<?> type) {
    List<RawRecord> records = generate(make.apply("t", settings(0.05, 0.02)), 0, 10_000);
    long bad = records.stream().filter(r -> parseOrNull(r, type) == null).count();
    assertThat(bad).isBetween(140L, 260L); // 2% of 10 000, give or take the dice
  }

  @Test
  void plantsBotsThatExceedAHundredPageViewsInAMinute() {
    List<ClickEvent> clicks =
        generate(new ClickstreamGenerator("t", settings(0.2, 0)), 0, 30_000).stream()
            .map(r -> Json.parse(r.value(), ClickEvent.class))
            .toList();
    Map<String, Long> perUserMinute =
        clicks.stream()
            .filter(c -> c.type() == ClickType.PAGE_VIEW)
            .collect(
                Collectors.groupingBy(
                    c -> c.userId() + "@" + c.eventTime().getEpochSecond() / 60,
                    Collectors.counting()));
    List<String> bots =
        perUserMinute.entrySet().stream()
            .filter(e -> e.getValue() > 100)
            .map(Map.Entry::getKey)
            .toList();
    assertThat(bots).isNotEmpty().allSatisfy(key -> assertThat(key).startsWith("bot-"));
  }

  @Test
  void plantsCardTesting() {
    List<PaymentTransaction> txns =
        generate(new PaymentsGenerator("t", settings(0.1, 0)), 0, 5_000).stream()
            .map(r -> Json.parse(r.value(), PaymentTransaction.class))
            .toList();
    Map<String, List<PaymentTransaction>> byCard =
        txns.stream().collect(Collectors.groupingBy(PaymentTransaction::cardId));
    List<String> tested = new ArrayList<>();
    byCard.forEach(
        (card, list) -> {
          List<PaymentTransaction> sorted =
              list.stream().sorted(Comparator.comparing(PaymentTransaction::eventTime)).toList();
          long small =
              sorted.stream().filter(t -> t.amount().compareTo(new BigDecimal("5.00")) < 0).count();
          PaymentTransaction last = sorted.get(sorted.size() - 1);
          if (small >= 3 && last.amount().compareTo(new BigDecimal("500.00")) >= 0) {
            tested.add(card);
          }
        });
    assertThat(tested).isNotEmpty().allSatisfy(card -> assertThat(card).startsWith("fc-"));
  }

  @Test
  void accountCommandsPlantRetriesAndCommandsToClosedAccounts() {
    List<com.acme.shop.model.AccountCommand> commands =
        generate(new AccountCommandsGenerator("t", settings(0.05, 0)), 0, 20_000).stream()
            .map(r -> parseOrNull(r, com.acme.shop.model.AccountCommand.class))
            .toList();
    assertThat(commands).doesNotContainNull();
    // A retry is the same command again: same id, account, type and amount.
    Map<String, List<com.acme.shop.model.AccountCommand>> byId =
        commands.stream()
            .collect(Collectors.groupingBy(com.acme.shop.model.AccountCommand::commandId));
    List<List<com.acme.shop.model.AccountCommand>> retried =
        byId.values().stream().filter(l -> l.size() > 1).toList();
    assertThat(retried).hasSizeGreaterThan(10);
    assertThat(retried)
        .allSatisfy(
            l ->
                assertThat(l)
                    .extracting(c -> c.accountId() + " " + c.type() + " " + c.amount())
                    .containsOnly(
                        l.get(0).accountId() + " " + l.get(0).type() + " " + l.get(0).amount()));
    // Something is sent to an account after its close.
    Map<String, Integer> closedAt = new java.util.HashMap<>();
    long afterClose = 0;
    for (int i = 0; i < commands.size(); i++) {
      var c = commands.get(i);
      if (closedAt.containsKey(c.accountId())) {
        afterClose++;
      }
      if (c.type() == com.acme.shop.model.AccountCommandType.CLOSE_ACCOUNT) {
        closedAt.putIfAbsent(c.accountId(), i);
      }
    }
    assertThat(afterClose).isPositive();
    // Zero amounts, which the ledger refuses, but never negative ones, which break the schema.
    assertThat(commands)
        .filteredOn(c -> c.amount() != null && c.amount().signum() == 0)
        .isNotEmpty();
  }
}
