package com.acme.shop.kafka;

/**
 * A Kafka record exactly as it was read: where it came from and its key and value bytes. Late
 * records are forwarded in this form, so the late topic holds what the producer wrote.
 */
public record RawRecord(String topic, int partition, long offset, byte[] key, byte[] value) {}
