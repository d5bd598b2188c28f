package com.acme.shop.datagen;

import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.ClickType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code web.clickstream}: visits that browse, abandon a cart or buy, interleaved. Planted: bots,
 * each a run of {@value #BOT_RUN_BLOCKS} whole blocks of page views by one bot user, which is more
 * than 100 page views within a minute whenever the rate is at least 5 records a second.
 */
public final class ClickstreamGenerator extends TopicGenerator {
  static final int BLOCK = 100;
  static final int BOT_RUN_BLOCKS = 3;
  static final int USERS = 5_000;
  static final int PRODUCTS = 400;
  static final List<String> CATEGORIES = List.of("books", "garden", "kitchen", "toys", "audio");

  public ClickstreamGenerator(String topic, GeneratorSettings settings) {
    super(topic, settings, BLOCK);
  }

  @Override
  protected List<Journey> journeys(long block, SplittableRandom random) {
    long run = block / BOT_RUN_BLOCKS;
    SplittableRandom runRandom = new SplittableRandom(settings().seed() ^ (run * 0x5DEECE66DL));
    if (Pick.chance(settings().fraudShare(), runRandom)) {
      String bot = "bot-" + run;
      Journey burst = new Journey();
      for (int i = 0; i < BLOCK; i++) {
        String page = "/p/" + random.nextInt(PRODUCTS);
        int n = i;
        burst.add(
            t ->
                click(
                    Pick.id("c", block, n), bot, "sb-" + run, ClickType.PAGE_VIEW, page, null, t));
      }
      return List.of(burst);
    }
    int[] visit = {0};
    return fill(BLOCK, List.of(), () -> visit(block, visit[0]++, random));
  }

  private Journey visit(long block, int n, SplittableRandom random) {
    String user = "u" + random.nextInt(USERS);
    String session = Pick.id("s", block, n);
    String product = Integer.toString(random.nextInt(PRODUCTS));
    Journey j = new Journey();
    int[] seq = {0};
    java.util.function.BiConsumer<ClickType, String> step =
        (type, page) -> {
          String eventId = Pick.id("c", block, n) + "-" + seq[0]++;
          String productId =
              type == ClickType.ADD_TO_CART
                      || type == ClickType.REMOVE_FROM_CART
                      || page.startsWith("/p/")
                  ? product
                  : null;
          j.add(t -> click(eventId, user, session, type, page, productId, t));
        };
    step.accept(ClickType.PAGE_VIEW, "/home");
    if (Pick.chance(0.5, random)) {
      step.accept(ClickType.SEARCH, "/search");
    }
    step.accept(ClickType.PAGE_VIEW, "/category/" + Pick.one(CATEGORIES, random));
    for (int i = random.nextInt(3); i >= 0; i--) {
      step.accept(ClickType.PAGE_VIEW, "/p/" + product);
    }
    double kind = random.nextDouble();
    if (kind < 0.45) {
      return j; // browsed only
    }
    step.accept(ClickType.ADD_TO_CART, "/p/" + product);
    if (kind < 0.70) {
      step.accept(ClickType.PAGE_VIEW, "/cart");
      if (Pick.chance(0.3, random)) {
        step.accept(ClickType.REMOVE_FROM_CART, "/cart");
      }
      return j; // abandoned
    }
    step.accept(ClickType.PAGE_VIEW, "/cart");
    step.accept(ClickType.CHECKOUT, "/checkout");
    step.accept(ClickType.PURCHASE, "/checkout/done");
    return j;
  }

  private static Journey.Generated click(
      String eventId,
      String user,
      String session,
      ClickType type,
      String page,
      String productId,
      java.time.Instant time) {
    return new Journey.Generated(
        user, new ClickEvent(eventId, user, session, type, page, productId, time));
  }

  @Override
  protected String corrupt(ObjectNode valid, SplittableRandom random) {
    if (random.nextInt(6) == 0) {
      return valid.put("type", "hover").toString();
    }
    return common(valid, random, "userId");
  }
}
