package com.acme.shop.kafka;

import java.io.Serializable;

/**
 * A topic as a job knows it: a short logical name, which is what {@code --topic.<name>} overrides,
 * and the contract's topic name used by default.
 */
public record TopicName(String name, String defaultTopic) implements Serializable {}
