package com.acme.shop.datagen;

import com.acme.shop.model.Channel;
import com.acme.shop.model.PaymentTransaction;
import com.acme.shop.model.TransactionStatus;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code payments.transactions}: everyday card use at home (5.00 to 250.00, so never a small or a
 * large one for card testing), interleaved. Planted, each on a fresh card ({@code fc-...}): card
 * testing (three charges under 5.00, then one of 500.00 or more), velocity (11 to 14 transactions
 * in quick succession) and impossible travel (two approved charges from different countries moments
 * apart). As many near misses, each on a fresh card ({@code nm-...}): two small charges and a large
 * one, or three and one of 499.99; exactly ten quick transactions; a declined charge abroad between
 * two at home.
 */
public final class PaymentsGenerator extends TopicGenerator {
  static final int BLOCK = 64;
  static final int CARDS = 20_000;
  static final List<String> COUNTRIES = List.of("DE", "FR", "NL", "ES", "IT", "PL", "SE", "US");
  static final List<String> CATEGORIES =
      List.of("grocery", "fuel", "restaurant", "electronics", "travel", "fashion", "pharmacy");

  public PaymentsGenerator(String topic, GeneratorSettings settings) {
    super(topic, settings, BLOCK);
  }

  /** What a planted journey of one fresh card is: a rule's pattern or a near miss of it. */
  enum Planted {
    CARD_TESTING,
    CARD_TESTING_NEAR_MISS,
    VELOCITY,
    VELOCITY_NEAR_MISS,
    IMPOSSIBLE_TRAVEL,
    IMPOSSIBLE_TRAVEL_NEAR_MISS
  }

  @Override
  protected List<Journey> journeys(long block, SplittableRandom random) {
    List<Journey> planted = new ArrayList<>();
    int[] n = {0};
    // Roughly fraudShare of the block's records belong to planted journeys, about half of them
    // patterns and half near misses just below a rule's threshold.
    double expectedPatterns = settings().fraudShare() * BLOCK / 6.0;
    int patterns = (int) expectedPatterns + (Pick.chance(expectedPatterns % 1, random) ? 1 : 0);
    for (int p = 0; p < patterns; p++) {
      Planted kind = Planted.values()[random.nextInt(Planted.values().length)];
      String card = (kind.name().endsWith("NEAR_MISS") ? "nm-" : "fc-") + block + "-" + p;
      String home = Pick.one(COUNTRIES, random);
      Journey j = new Journey();
      Step step =
          (amount, country, status) -> txn(block, n[0]++, card, amount, country, status, random);
      switch (kind) {
        case CARD_TESTING -> {
          for (int i = 0; i < 3; i++) {
            j.add(step.of(Pick.amount(0.5, 4.99, random), home, TransactionStatus.APPROVED));
          }
          j.add(step.of(Pick.amount(500, 2500, random), home, TransactionStatus.APPROVED));
        }
        case CARD_TESTING_NEAR_MISS -> {
          // Two small ones then a large one, or three small ones then one just under large.
          boolean twoSmall = random.nextBoolean();
          for (int i = 0; i < (twoSmall ? 2 : 3); i++) {
            j.add(step.of(Pick.amount(0.5, 4.99, random), home, TransactionStatus.DECLINED));
          }
          BigDecimal last = twoSmall ? Pick.amount(500, 2500, random) : new BigDecimal("499.99");
          j.add(step.of(last, home, TransactionStatus.APPROVED));
        }
        case VELOCITY, VELOCITY_NEAR_MISS -> {
          int count = kind == Planted.VELOCITY ? 11 + random.nextInt(4) : 10;
          for (int i = 0; i < count; i++) {
            TransactionStatus status =
                i % 4 == 3 ? TransactionStatus.DECLINED : TransactionStatus.APPROVED;
            j.add(step.of(Pick.amount(10, 120, random), home, status));
          }
        }
        case IMPOSSIBLE_TRAVEL -> {
          j.add(step.of(Pick.amount(10, 300, random), home, TransactionStatus.APPROVED));
          j.add(
              step.of(
                  Pick.amount(10, 300, random), abroad(home, random), TransactionStatus.APPROVED));
        }
        case IMPOSSIBLE_TRAVEL_NEAR_MISS -> {
          // Abroad, but declined; then home again: no two approved ones from different countries.
          j.add(step.of(Pick.amount(10, 300, random), home, TransactionStatus.APPROVED));
          j.add(
              step.of(
                  Pick.amount(10, 300, random), abroad(home, random), TransactionStatus.DECLINED));
          j.add(step.of(Pick.amount(10, 300, random), home, TransactionStatus.APPROVED));
        }
      }
      planted.add(j);
    }
    int[] next = {n[0]};
    return fill(
        BLOCK,
        planted,
        () -> {
          int cardNo = random.nextInt(CARDS);
          String card = "card-" + cardNo;
          String home = COUNTRIES.get(cardNo % COUNTRIES.size());
          TransactionStatus status =
              Pick.chance(0.03, random) ? TransactionStatus.DECLINED : TransactionStatus.APPROVED;
          return new Journey()
              .add(txn(block, next[0]++, card, Pick.amount(5, 250, random), home, status, random));
        });
  }

  private interface Step {
    Journey.Step of(BigDecimal amount, String country, TransactionStatus status);
  }

  private static String abroad(String home, SplittableRandom random) {
    List<String> others = COUNTRIES.stream().filter(c -> !c.equals(home)).toList();
    return others.get(random.nextInt(others.size()));
  }

  private static Journey.Step txn(
      long block,
      int n,
      String card,
      BigDecimal amount,
      String country,
      TransactionStatus status,
      SplittableRandom random) {
    String txnId = Pick.id("t", block, n);
    String merchant = "m-" + random.nextInt(3_000);
    String category = Pick.one(CATEGORIES, random);
    Channel channel = Pick.chance(0.4, random) ? Channel.ONLINE : Channel.POS;
    String account = "acc-" + card;
    return t ->
        new Journey.Generated(
            card,
            new PaymentTransaction(
                txnId, card, account, amount, "EUR", merchant, category, country, channel, status,
                t));
  }

  @Override
  protected String corrupt(ObjectNode valid, SplittableRandom random) {
    return switch (random.nextInt(4)) {
      case 0 -> valid.put("amount", "12,50").toString();
      case 1 -> valid.put("amount", new BigDecimal("12.505")).toString();
      default -> common(valid, random, "cardId");
    };
  }
}
