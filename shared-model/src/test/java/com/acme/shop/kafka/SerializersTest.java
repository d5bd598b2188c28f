package com.acme.shop.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** What the sinks' serializers put into Kafka records. */
class SerializersTest {
  // An event time a month old, as a rebuild over old data has.
  static final Long OLD_EVENT_TIME = 1_760_000_000_000L;

  @Test
  void jsonRecordsCarryNoTimestampSoTheProducerStampsTheTimeOfWriting() {
    var serializer = new JsonRecordSerializer<Map<String, String>>("out", m -> m.get("id"), m -> m);
    ProducerRecord<byte[], byte[]> record =
        serializer.serialize(Map.of("id", "k1"), null, OLD_EVENT_TIME);

    assertThat(record.timestamp()).isNull();
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("k1");
    assertThat(serializer.getKafkaDatasetFacet().orElseThrow().getTopicIdentifier().getTopics())
        .containsExactly("out");
  }

  @Test
  void rawRecordsGoToTheirOwnTopicAmongTheDeclaredOnesWithoutTimestamp() {
    RawRecordSerializer serializer = RawRecordSerializer.toOwnTopic(List.of("a", "b"));
    RawRecord raw = new RawRecord("b", -1, 0, null, "v".getBytes(StandardCharsets.UTF_8));

    ProducerRecord<byte[], byte[]> record = serializer.serialize(raw, null, OLD_EVENT_TIME);

    assertThat(record.topic()).isEqualTo("b");
    assertThat(record.timestamp()).isNull();
    assertThatThrownBy(
            () -> serializer.serialize(new RawRecord("c", -1, 0, null, null), null, null))
        .hasMessageContaining("writes only [a, b]");
  }
}
