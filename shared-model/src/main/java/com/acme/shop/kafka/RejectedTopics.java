package com.acme.shop.kafka;

import com.acme.shop.topics.Topic;
import com.acme.shop.topics.Topics;
import java.nio.charset.StandardCharsets;

/**
 * The two topics of every processing job that hold the records it rejected: {@code dlq.<job>} and
 * {@code late.<job>}. Declared here rather than in {@link Topics} because their value types belong
 * to this package. A job with several inputs still has one of each (see {@code flink.Inputs}).
 */
public final class RejectedTopics {
  private RejectedTopics() {}

  /** {@code dlq.<job>}, keyed like the record each dead letter wraps. */
  public static Topic<DeadLetter> deadLetters(String job) {
    return Topic.of(
        Topics.DEAD_LETTERS, Topics.deadLettersTopic(job), DeadLetter.class, DeadLetter::key);
  }

  /**
   * {@code late.<job>}. Its sink forwards key and value bytes unchanged; the key function, the key
   * as text, is for display only.
   */
  public static Topic<RawRecord> late(String job) {
    return Topic.of(
        Topics.LATE,
        Topics.lateTopic(job),
        RawRecord.class,
        r -> r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
  }
}
