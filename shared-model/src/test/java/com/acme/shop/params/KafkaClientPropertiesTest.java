package com.acme.shop.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kafka.properties}: read once, checked when parsed, never echoing a value. */
class KafkaClientPropertiesTest {
  @TempDir Path dir;

  static JobParameters parse(String... args) {
    return JobParameters.parse("test-job", args, List.of(), List.of()).orElseThrow();
  }

  @Test
  void theFilesSettingsGoToEveryClientWithTheBootstrapServers() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("kafka.properties"),
            "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
    Properties props =
        KafkaClientProperties.of(
            parse("--bootstrap-servers", "broker:9093", "--kafka.properties", file.toString()));
    assertThat(props)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("bootstrap.servers", "broker:9093")
        .hasSize(3);
  }

  @Test
  void withoutAFileAClientGetsTheBootstrapServersAlone() {
    assertThat(KafkaClientProperties.of(parse())).containsOnlyKeys("bootstrap.servers");
  }

  @Test
  void aFileThatSetsWhatTheJobOwnsIsRefusedByKeyWithoutItsValue() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("kafka.properties"),
            "isolation.level=read_uncommitted\ntransactional.id=secret-value\nssl.key.password=x\n");
    assertThatThrownBy(() -> parse("--kafka.properties", file.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("isolation.level")
        .hasMessageContaining("transactional.id")
        .hasMessageNotContaining("secret-value")
        .hasMessageNotContaining("ssl.key.password");
  }

  @Test
  void anUnreadableFileIsRefusedWhenTheOptionsAreParsed() {
    String missing = dir.resolve("missing.properties").toString();
    assertThatThrownBy(() -> parse("--kafka.properties", missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--kafka.properties")
        .hasMessageContaining(missing);
  }
}
