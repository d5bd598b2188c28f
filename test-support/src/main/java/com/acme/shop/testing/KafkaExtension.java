package com.acme.shop.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class the test JVM's broker, started on first use and stopped when the whole run
 * ends, so test classes share one ~3 s start-up. Tests isolate themselves by topic names.
 *
 * <pre>{@code @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();}</pre>
 */
public final class KafkaExtension implements BeforeAllCallback {
  // One broker per JVM, so every instance sees it once any test class has started it: a helper of
  // one test class may be called from another.
  private static volatile EmbeddedKafka kafka;

  @Override
  public void beforeAll(ExtensionContext context) {
    kafka =
        context
            .getRoot()
            .getStore(ExtensionContext.Namespace.GLOBAL)
            .getOrComputeIfAbsent(
                EmbeddedKafka.class.getName(), key -> new BrokerResource(), BrokerResource.class)
            .kafka;
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public TopicIO topics() {
    return kafka.topics();
  }

  private static final class BrokerResource implements ExtensionContext.Store.CloseableResource {
    final EmbeddedKafka kafka = EmbeddedKafka.start();

    @Override
    public void close() {
      kafka.close();
    }
  }
}
