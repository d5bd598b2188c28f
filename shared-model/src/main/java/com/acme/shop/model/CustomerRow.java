package com.acme.shop.model;

import static com.acme.shop.model.Require.present;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** A row of the {@code customers} table, as Debezium sends it. */
public record CustomerRow(
    Long id,
    String email,
    @JsonProperty("full_name") String fullName,
    String country,
    String tier,
    @JsonProperty("updated_at") Instant updatedAt) {
  public CustomerRow {
    present(id, "id");
  }
}
