package com.acme.shop.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.KafkaExtension;
import com.acme.shop.testing.TopicIO;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job on a MiniCluster against a real broker: change streams of a random workload with
 * redelivered stretches and a re-snapshot, read bounded; the compacted read models equal the views
 * computed from the final tables, and a rebuild of each read model alone into a fresh topic gives
 * the same.
 */
class CdcSyncIT {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  @Test
  void theReadModelsEqualTheViewsOfTheFinalTablesLiveAndRebuilt() throws Exception {
    TopicIO io = KAFKA.topics();
    SimulatedShop shop = new SimulatedShop(17).run(2000);
    CdcTopics topics = CdcTopics.unique().create(io, 2);
    io.write(topics.customers(), shop.customerTopic);
    io.write(topics.products(), shop.productTopic);
    io.write(topics.orders(), shop.orderTopic);
    Cdc.Views expected = shop.expected();
    // The workload is not trivial: every view has rows, and deletes and moves happened.
    assertThat(expected.enriched()).hasSizeGreaterThan(100);
    assertThat(expected.byCategory()).hasSizeGreaterThan(3);
    assertThat(expected.summary()).hasSizeGreaterThan(15);

    JobParameters params =
        Cdc.params(KAFKA.bootstrapServers(), topics, TopicIO.unique("cdc"), "--bounded");
    Cdc.runBounded(FLINK, params);
    Cdc.Views live = Cdc.views(io, topics);
    assertThat(live.enriched()).isEqualTo(expected.enriched());
    assertThat(live.byCategory()).isEqualTo(expected.byCategory());
    assertThat(live.summary()).isEqualTo(expected.summary());
    assertThat(io.readAll(topics.dlq())).isEmpty();
    assertThat(io.committedOffsets(params.runName(), topics.orders()))
        .isEqualTo(io.endOffsets(topics.orders()));
    assertThat(io.openTransactions(params.runName() + ".")).isEmpty();

    // Each read model alone, from earliest into a fresh topic.
    CdcTopics rebuilt = topics.withFreshOutputs(io, 2);
    for (String model : new String[] {"orders-enriched", "sales-by-category", "customer-summary"}) {
      Cdc.runBounded(
          FLINK,
          Cdc.params(
              KAFKA.bootstrapServers(),
              rebuilt,
              TopicIO.unique("cdc-rebuild"),
              "--bounded",
              "--read-models",
              model));
    }
    Cdc.Views again = Cdc.views(io, rebuilt);
    assertThat(again).isEqualTo(live);
  }

  /**
   * Debezium's redelivery ends where the first delivery ended, so the final state would be right
   * even without the dedup rule; what the rule adds is that the copies emit nothing at all. The
   * summaries of the orders' changes sent once and sent with redelivered stretches and a
   * re-snapshot are the same number of records: one per change of an order's contribution.
   */
  @Test
  void redeliveredChangesAndAReSnapshotEmitNothing() throws Exception {
    TopicIO io = KAFKA.topics();
    SimulatedShop shop = new SimulatedShop(18).run(1500);
    assertThat(shop.orderTopic.size()).isGreaterThan(shop.ordersOnce.size() + 300);
    CdcTopics once = CdcTopics.unique().create(io, 2);
    CdcTopics again = CdcTopics.unique().create(io, 2);
    io.write(once.orders(), shop.ordersOnce);
    io.write(again.orders(), shop.orderTopic);
    for (CdcTopics topics : new CdcTopics[] {once, again}) {
      Cdc.runBounded(
          FLINK,
          Cdc.params(
              KAFKA.bootstrapServers(),
              topics,
              TopicIO.unique("cdc"),
              "--bounded",
              "--read-models",
              "customer-summary"));
    }
    assertThat(io.readAll(again.summary())).hasSameSizeAs(io.readAll(once.summary())).isNotEmpty();
    assertThat(Cdc.compacted(io, again.summary())).isEqualTo(Cdc.compacted(io, once.summary()));
  }
}
