package com.acme.shop.datagen;

import com.acme.shop.model.LoginEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code auth.logins}: users logging in, now and then after a typo. Planted: account takeover, five
 * to seven failed logins from a foreign device followed by a successful one, and as many near
 * misses with four.
 */
public final class LoginsGenerator extends TopicGenerator {
  static final int BLOCK = 64;
  static final int USERS = 5_000;
  static final List<String> COUNTRIES = PaymentsGenerator.COUNTRIES;

  public LoginsGenerator(String topic, GeneratorSettings settings) {
    super(topic, settings, BLOCK);
  }

  @Override
  protected List<Journey> journeys(long block, SplittableRandom random) {
    List<Journey> planted = new ArrayList<>();
    int[] n = {0};
    double expected = settings().fraudShare() * BLOCK / 7.0;
    int attacks = (int) expected + (Pick.chance(expected % 1, random) ? 1 : 0);
    for (int a = 0; a < attacks; a++) {
      String user = "u" + random.nextInt(USERS);
      String ip = "203.0.113." + random.nextInt(255);
      String device = "dev-x-" + block + "-" + a;
      String country = Pick.one(COUNTRIES, random);
      Journey j = new Journey();
      // Every other one is a near miss: four failures, then the success.
      int failures = random.nextBoolean() ? 4 : 5 + random.nextInt(3);
      for (int i = 0; i <= failures; i++) {
        boolean success = i == failures;
        String eventId = Pick.id("l", block, n[0]++);
        j.add(
            t ->
                new Journey.Generated(
                    user, new LoginEvent(eventId, user, success, ip, country, device, t)));
      }
      planted.add(j);
    }
    return fill(
        BLOCK,
        planted,
        () -> {
          int userNo = random.nextInt(USERS);
          String user = "u" + userNo;
          String country = COUNTRIES.get(userNo % COUNTRIES.size());
          String ip = "198.51.100." + userNo % 250;
          String device = "dev-" + userNo;
          Journey j = new Journey();
          if (Pick.chance(0.08, random)) {
            String failedId = Pick.id("l", block, n[0]++);
            j.add(
                t ->
                    new Journey.Generated(
                        user, new LoginEvent(failedId, user, false, ip, country, device, t)));
          }
          String eventId = Pick.id("l", block, n[0]++);
          return j.add(
              t ->
                  new Journey.Generated(
                      user, new LoginEvent(eventId, user, true, ip, country, device, t)));
        });
  }

  @Override
  protected String corrupt(ObjectNode valid, SplittableRandom random) {
    if (random.nextInt(5) == 0) {
      return valid.put("success", "maybe").toString();
    }
    return common(valid, random, "userId");
  }
}
