package com.acme.shop.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link Topics} is the one source of truth for topic names: {@code scripts/topics.txt}, which
 * creates the topics with their partitions and configs, and {@code docs/topics.md} follow it.
 */
class TopicsFileTest {
  /** The repository's root: the first directory up from the module that has {@code scripts/}. */
  static Path repository() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(dir.resolve("scripts/topics.txt"))) {
      dir = dir.getParent();
      assertThat(dir).as("scripts/topics.txt above the module").isNotNull();
    }
    return dir;
  }

  /** The topic names of {@code scripts/topics.txt}: first word of each non-comment line. */
  static List<String> topicsFile() throws IOException {
    return Files.readAllLines(repository().resolve("scripts/topics.txt")).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .map(line -> line.split("\\s+")[0])
        .collect(Collectors.toList());
  }

  @Test
  void theTopicsFileListsExactlyTheDeclaredTopics() throws IOException {
    assertThat(topicsFile()).doesNotHaveDuplicates();
    assertThat(topicsFile()).containsExactlyInAnyOrderElementsOf(Topics.allNames());
  }

  @Test
  void theTopicsPageMentionsEveryTopic() throws IOException {
    String page = Files.readString(repository().resolve("docs/topics.md"));
    for (String topic : Topics.allNames()) {
      assertThat(page).as("docs/topics.md mentions %s", topic).contains("`" + topic + "`");
    }
  }

  @Test
  void logicalNamesAreUniqueWithinEveryJobsTopics() {
    // Two jobs may share a logical name (alerts); the contract's names are all different.
    assertThat(Topics.all().stream().map(Topic::defaultName)).doesNotHaveDuplicates();
  }
}
