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
 * {@code payments.transactions}: everyday card use at home, interleaved. Planted, each on a fresh
 * card: card testing (three charges under 5.00, then one of 500.00 or more), velocity (twelve
 * transactions in quick succession) and impossible travel (two approved charges from different
 * countries minutes apart).
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

  @Override
  protected List<Journey> journeys(long block, SplittableRandom random) {
    List<Journey> planted = new ArrayList<>();
    int n = 0;
    // Roughly fraudShare of the block's records belong to planted patterns.
    double expectedPatterns = settings().fraudShare() * BLOCK / 6.0;
    int patterns = (int) expectedPatterns + (Pick.chance(expectedPatterns % 1, random) ? 1 : 0);
    for (int p = 0; p < patterns; p++) {
      String card = "fc-" + block + "-" + p;
      String home = Pick.one(COUNTRIES, random);
      Journey j = new Journey();
      int kind = random.nextInt(3);
      if (kind == 0) {
        for (int i = 0; i < 3; i++) {
          j.add(
              txn(
                  block,
                  n++,
                  card,
                  Pick.amount(0.5, 4.99, random),
                  home,
                  TransactionStatus.APPROVED,
                  random));
        }
        j.add(
            txn(
                block,
                n++,
                card,
                Pick.amount(500, 2500, random),
                home,
                TransactionStatus.APPROVED,
                random));
      } else if (kind == 1) {
        for (int i = 0; i < 12; i++) {
          TransactionStatus status =
              i % 4 == 3 ? TransactionStatus.DECLINED : TransactionStatus.APPROVED;
          j.add(txn(block, n++, card, Pick.amount(10, 120, random), home, status, random));
        }
      } else {
        String abroad =
            COUNTRIES.stream()
                .filter(c -> !c.equals(home))
                .toList()
                .get(random.nextInt(COUNTRIES.size() - 1));
        j.add(
            txn(
                block,
                n++,
                card,
                Pick.amount(10, 300, random),
                home,
                TransactionStatus.APPROVED,
                random));
        j.add(
            txn(
                block,
                n++,
                card,
                Pick.amount(10, 300, random),
                abroad,
                TransactionStatus.APPROVED,
                random));
      }
      planted.add(j);
    }
    int[] next = {n};
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
