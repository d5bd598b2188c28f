package com.acme.shop.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The parts of Debezium's {@code source} block that say where and when a change happened. */
public record ChangeSource(
    String db,
    String schema,
    String table,
    Long lsn,
    Long txId,
    @JsonProperty("ts_ms") Long tsMs,
    String snapshot) {}
