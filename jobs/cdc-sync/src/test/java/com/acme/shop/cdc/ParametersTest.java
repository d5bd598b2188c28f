package com.acme.shop.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.shop.cdc.ReadModels.Model;
import com.acme.shop.params.JobParameters;
import com.acme.shop.topics.Topics;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The job's own options. */
class ParametersTest {
  @Test
  void defaults() {
    JobParameters params = CdcSyncJob.parameters().orElseThrow();
    assertThat(params.get(CdcSyncJob.READ_MODELS)).isEqualTo(EnumSet.allOf(Model.class));
    assertThat(params.get(CdcSyncJob.DELETED_ROW_RETENTION)).isEqualTo(Duration.ofDays(1));
    assertThat(params.runName()).isEqualTo("cdc-sync");
    assertThat(params.topic(Topics.ORDERS)).isEqualTo("shop.public.orders");
    assertThat(params.topic(Topics.ORDERS_ENRICHED)).isEqualTo("cdc.orders-enriched");
  }

  @Test
  void aRebuildOfOneReadModelIntoAFreshTopicRunsUnderItsOwnName() {
    JobParameters params =
        CdcSyncJob.parameters(
                "--read-models",
                "sales-by-category",
                "--bounded",
                "--starting-offsets",
                "earliest",
                "--topic.sales-by-category",
                "cdc.sales-by-category.rebuilt")
            .orElseThrow();
    assertThat(params.get(CdcSyncJob.READ_MODELS)).containsExactly(Model.SALES_BY_CATEGORY);
    assertThat(params.topic(Topics.SALES_BY_CATEGORY)).isEqualTo("cdc.sales-by-category.rebuilt");
    assertThat(params.runName()).startsWith("cdc-sync-").isNotEqualTo("cdc-sync");
  }

  @Test
  void readModelsByName() {
    assertThat(ReadModels.parse("orders-enriched, customer-summary"))
        .containsExactlyInAnyOrder(Model.ORDERS_ENRICHED, Model.CUSTOMER_SUMMARY);
    assertThat(ReadModels.parse("all")).isEqualTo(EnumSet.allOf(Model.class));
    assertThatThrownBy(() -> CdcSyncJob.parameters("--read-models", "orders"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown read model 'orders'");
  }

  @Test
  void theRetentionMustBePositive() {
    assertThatThrownBy(() -> CdcSyncJob.parameters("--deleted-row-retention", "0s"))
        .hasMessageContaining("--deleted-row-retention must be positive");
  }

  @Test
  void theJobHasNoLateTopic() {
    assertThatThrownBy(() -> CdcSyncJob.parameters("--topic.late", "x"))
        .hasMessageContaining("unknown topic 'late'");
  }
}
