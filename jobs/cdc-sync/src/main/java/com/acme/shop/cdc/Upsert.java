package com.acme.shop.cdc;

/** One record of an upsert read model: the entity's key and its row, null for a tombstone. */
public record Upsert<T>(String key, T value) {}
