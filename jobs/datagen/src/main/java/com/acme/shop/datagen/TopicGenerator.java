package com.acme.shop.datagen;

import com.acme.shop.json.Json;
import com.acme.shop.kafka.RawRecord;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Generates one topic's records as a pure function of the record index and the seed, so a run is
 * reproducible and any index can be generated alone. Indexes are grouped in blocks; each block is a
 * set of interleaved {@link Journey journeys} built from a random generator seeded by the block
 * number. A small share of records is then replaced by a bad record, or moved back in time to
 * arrive late.
 */
public abstract class TopicGenerator implements GeneratorFunction<Long, RawRecord> {
  private final String topic;
  private final GeneratorSettings settings;
  private final int blockSize;

  // Transient fields are not re-initialised after deserialisation, so the cache is valid only
  // when cachedSteps is set.
  private transient long cachedBlock;
  private transient List<Journey.Step> cachedSteps;

  protected TopicGenerator(String topic, GeneratorSettings settings, int blockSize) {
    this.topic = topic;
    this.settings = settings;
    this.blockSize = blockSize;
  }

  /** The journeys of one block; together at least {@code blockSize} events. */
  protected abstract List<Journey> journeys(long block, SplittableRandom random);

  /** Replaces a valid event with one that breaks the schema in a way chosen by {@code random}. */
  protected abstract String corrupt(ObjectNode valid, SplittableRandom random);

  protected final GeneratorSettings settings() {
    return settings;
  }

  @Override
  public RawRecord map(Long index) {
    long block = index / blockSize;
    if (cachedSteps == null || block != cachedBlock) {
      cachedSteps = Journey.interleave(journeys(block, random(block, 1)), blockSize);
      cachedBlock = block;
    }
    List<Journey.Step> steps = cachedSteps;
    int position = (int) (index % blockSize);
    SplittableRandom recordRandom = random(index, 2);
    Journey.Generated generated =
        position < steps.size() ? steps.get(position).apply(eventTime(index, recordRandom)) : null;
    if (generated == null) {
      throw new IllegalStateException(
          getClass().getSimpleName() + " left slot " + index + " empty");
    }
    String key = generated.key();
    String value;
    double dice = recordRandom.nextDouble();
    if (dice < settings.badShare()) {
      value = corrupt(Json.mapper().valueToTree(generated.event()), recordRandom);
    } else {
      value = Json.text(generated.event());
      if (dice < settings.badShare() + settings.lateShare()) {
        value = movedBack(value, generated.event());
      }
    }
    return new RawRecord(
        topic,
        -1,
        index,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The record's time slot, up to {@code maxDisorder} early so streams are a little out of order. A
   * slot ahead of the wall clock is waited for: the generator never writes future data (a consumer
   * would take it for a broken device clock), it slows down to the clock instead. The records stay
   * the same, only their pace changes.
   */
  private Instant eventTime(long index, SplittableRandom random) {
    long slot = settings.start().toEpochMilli() + index * settings.spacing().toMillis();
    waitForTheClock(slot);
    long disorder = settings.maxDisorder().toMillis();
    return Instant.ofEpochMilli(slot - (disorder > 0 ? random.nextLong(disorder) : 0));
  }

  private static void waitForTheClock(long eventTimeMillis) {
    long ahead = eventTimeMillis - System.currentTimeMillis();
    if (ahead > 0) {
      try {
        Thread.sleep(ahead);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String movedBack(String json, Object event) {
    ObjectNode node = Json.mapper().valueToTree(event);
    Instant time = Instant.parse(node.get("eventTime").asText());
    node.put("eventTime", Json.formatInstant(time.minus(GeneratorSettings.LATE_BY)));
    return node.toString();
  }

  private SplittableRandom random(long n, int purpose) {
    return new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + n * 31 + purpose);
  }

  // Helpers for the generators' corrupt() implementations.

  protected static String truncated(ObjectNode valid, SplittableRandom random) {
    String json = valid.toString();
    return json.substring(0, 1 + random.nextInt(json.length() - 1));
  }

  protected static String common(ObjectNode valid, SplittableRandom random, String requiredField) {
    return switch (random.nextInt(5)) {
      case 0 -> truncated(valid, random);
      case 1 -> valid.without(requiredField).toString();
      case 2 -> valid.put("eventTime", "not-a-time").toString();
      case 3 -> valid.put("eventTime", 1_763_889_300_000L).toString();
      default -> valid.putArray(requiredField).add(1).toString();
    };
  }

  /**
   * Planted journeys first, then ordinary ones until the block is full; only the last ordinary
   * journey is cut short, so planted patterns are always complete.
   */
  protected static List<Journey> fill(
      int blockSize, List<Journey> planted, java.util.function.Supplier<Journey> ordinary) {
    List<Journey> journeys = new ArrayList<>(planted);
    int total = planted.stream().mapToInt(Journey::size).sum();
    while (total < blockSize) {
      Journey j = ordinary.get();
      journeys.add(j);
      total += j.size();
    }
    Journey last = journeys.get(journeys.size() - 1);
    while (total > blockSize && last.size() > 0) {
      last.steps.remove(last.size() - 1);
      total--;
    }
    return journeys;
  }
}
