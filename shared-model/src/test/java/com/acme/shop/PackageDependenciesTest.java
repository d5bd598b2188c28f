package com.acme.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of shared-model depend on each other without a cycle, so each can be understood,
 * tested and changed from the bottom up. Dependencies are read from the sources: every mention of
 * {@code com.acme.shop.<package>.} outside a file's own package line, which covers imports and
 * fully qualified names alike.
 */
class PackageDependenciesTest {
  private static final Path SOURCES = Path.of("src/main/java/com/acme/shop");
  private static final Pattern MENTION = Pattern.compile("com\\.acme\\.shop\\.([a-z]+)\\.");

  /** Package to the packages it uses, by short name, e.g. {@code kafka -> [json, params, ...]}. */
  static Map<String, Set<String>> dependencies() {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
        Set<String> uses = graph.computeIfAbsent(pkg, p -> new TreeSet<>());
        for (String line : Files.readAllLines(file)) {
          if (line.startsWith("package ")) {
            continue;
          }
          Matcher m = MENTION.matcher(line);
          while (m.find()) {
            if (!m.group(1).equals(pkg)) {
              uses.add(m.group(1));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return graph;
  }

  /** A cycle through the graph, as the packages along it, or empty when there is none. */
  static List<String> cycle(Map<String, Set<String>> graph) {
    Set<String> done = new TreeSet<>();
    for (String start : graph.keySet()) {
      List<String> found = cycleFrom(start, graph, new ArrayList<>(), done);
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  private static List<String> cycleFrom(
      String pkg, Map<String, Set<String>> graph, List<String> path, Set<String> done) {
    if (path.contains(pkg)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(pkg), path.size()));
      cycle.add(pkg);
      return cycle;
    }
    if (!done.add(pkg)) {
      return List.of();
    }
    path.add(pkg);
    for (String next : graph.getOrDefault(pkg, Set.of())) {
      List<String> found = cycleFrom(next, graph, path, done);
      if (!found.isEmpty()) {
        return found;
      }
    }
    path.remove(path.size() - 1);
    return List.of();
  }

  @Test
  void thePackagesHaveNoCycle() {
    Map<String, Set<String>> graph = dependencies();
    assertThat(graph).containsKeys("flink", "kafka", "params", "topics");
    assertThat(cycle(graph)).as("package cycle in %s", graph).isEmpty();
  }

  @Test
  void topicsAreDeclaredBelowParametersAndConnectors() {
    Map<String, Set<String>> graph = dependencies();
    assertThat(graph.get("topics")).doesNotContain("params", "kafka", "flink");
    assertThat(graph.get("params")).doesNotContain("kafka", "flink");
  }

  @Test
  void theCheckFindsACycle() {
    Map<String, Set<String>> graph =
        Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
    assertThat(cycle(graph)).hasSize(4).startsWith(cycle(graph).get(3));
    assertThat(cycle(Map.of("a", Set.of("b"), "b", Set.of()))).isEmpty();
  }
}
