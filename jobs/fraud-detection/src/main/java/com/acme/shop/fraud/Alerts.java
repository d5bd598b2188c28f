package com.acme.shop.fraud;

import com.acme.shop.model.FraudAlert;
import com.acme.shop.model.FraudRule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How every rule turns what it found into a {@link FraudAlert}. */
final class Alerts {
  private Alerts() {}

  /** The detail every alert carries: how many events triggered it, however many ids it lists. */
  static final String EVENT_COUNT = "eventCount";

  /**
   * An alert of {@code rule} on {@code key} over {@code eventIds} (in event-time order, the
   * triggering one last). Its id hashes the rule, the key and {@code identity}: the event ids for
   * most rules, the window for {@code VELOCITY}, so a replay or a restart writes the same id.
   * {@code detectedAt} is the only field taken from the clock.
   */
  static FraudAlert alert(
      FraudRule rule,
      String key,
      List<String> eventIds,
      int eventCount,
      long firstEventTime,
      long lastEventTime,
      Map<String, String> details,
      List<String> identity,
      int maxEventIds) {
    Map<String, String> allDetails = new LinkedHashMap<>(details);
    allDetails.put(EVENT_COUNT, Integer.toString(eventCount));
    return new FraudAlert(
        alertId(rule, key, identity),
        rule,
        key,
        rule.severity(),
        capped(eventIds, maxEventIds),
        Instant.ofEpochMilli(firstEventTime),
        Instant.ofEpochMilli(lastEventTime),
        Instant.now(),
        allDetails);
  }

  /**
   * {@code rule} and a hash of the key and the identity: stable, the same length for any key, and
   * free of the key's characters.
   */
  static String alertId(FraudRule rule, String key, List<String> identity) {
    MessageDigest sha256 = sha256();
    update(sha256, rule.name());
    update(sha256, key);
    identity.forEach(part -> update(sha256, part));
    return rule.name() + "-" + HexFormat.of().formatHex(sha256.digest(), 0, 16);
  }

  /**
   * At most {@code max} ids: the first ones and the last, triggering one. A card testing attack can
   * run to thousands of small charges, and one alert must stay far below Kafka's record limit.
   */
  static List<String> capped(List<String> ids, int max) {
    if (ids.size() <= max) {
      return ids;
    }
    List<String> kept = new ArrayList<>(ids.subList(0, max - 1));
    kept.add(ids.get(ids.size() - 1));
    return kept;
  }

  private static void update(MessageDigest digest, String part) {
    // Length-prefixed, so ("ab", "c") and ("a", "bc") hash differently.
    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
    digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) ':');
    digest.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
