package com.acme.shop.flink;

/**
 * One record of an upsert read model: the entity's key and its row, null for a tombstone. The same
 * record goes to a compacted Kafka topic and to a PostgreSQL table.
 */
public record Upsert<T>(String key, T value) {}
