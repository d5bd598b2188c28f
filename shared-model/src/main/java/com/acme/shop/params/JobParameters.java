package com.acme.shop.params;

import com.acme.shop.topics.Topic;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A job's options, parsed and typed in one place: the common options of every job, the job's own
 * options, and {@code --topic.<name> <topic>} overrides for each of its topics. Unknown options are
 * errors, so a typo never silently runs a job with a default.
 */
public final class JobParameters implements Serializable {
  private static final String TOPIC_PREFIX = "topic.";

  private final String job;
  private final Map<String, Object> values;
  private final Map<String, String> topics;
  private final List<Topic<?>> jobTopics;

  private JobParameters(
      String job,
      Map<String, Object> values,
      Map<String, String> topics,
      List<Topic<?>> jobTopics) {
    this.job = job;
    this.values = values;
    this.topics = topics;
    this.jobTopics = List.copyOf(jobTopics);
  }

  /**
   * Parses {@code args}; returns empty when {@code --help} was asked for (after printing usage).
   *
   * @throws IllegalArgumentException with the usage text when an option is unknown or malformed
   */
  public static Optional<JobParameters> parse(
      String job, String[] args, List<Param<?>> jobParams, List<Topic<?>> jobTopics) {
    Map<String, Param<?>> known = new LinkedHashMap<>();
    CommonParams.ALL.forEach(p -> known.put(p.name(), p));
    jobParams.forEach(p -> known.put(p.name(), p));

    Map<String, String> raw = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println(usage(job, known.values(), jobTopics));
        return Optional.empty();
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw usageError(job, known.values(), jobTopics, "unexpected argument '" + arg + "'");
      }
      String key = arg.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        value = "true"; // a bare flag, e.g. --bounded
      }
      raw.put(key, value);
    }

    Map<String, Object> values = new HashMap<>();
    Map<String, String> topics = new HashMap<>();
    jobTopics.forEach(t -> topics.put(t.name(), t.defaultName()));
    for (Map.Entry<String, String> e : raw.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(TOPIC_PREFIX)) {
        String topicKey = key.substring(TOPIC_PREFIX.length());
        Topic<?> topic =
            jobTopics.stream()
                .filter(t -> t.name().equals(topicKey) || t.defaultName().equals(topicKey))
                .findFirst()
                .orElseThrow(
                    () ->
                        usageError(
                            job, known.values(), jobTopics, "unknown topic '" + topicKey + "'"));
        topics.put(topic.name(), e.getValue());
        continue;
      }
      Param<?> param = known.get(key);
      if (param == null) {
        throw usageError(job, known.values(), jobTopics, "unknown option --" + key);
      }
      try {
        values.put(key, param.parse(e.getValue()));
      } catch (IllegalArgumentException ex) {
        throw usageError(job, known.values(), jobTopics, ex.getMessage());
      }
    }
    JobParameters params = new JobParameters(job, values, topics, jobTopics);
    try {
      CommonParams.checkTogether(params);
    } catch (IllegalArgumentException ex) {
      throw usageError(job, known.values(), jobTopics, ex.getMessage());
    }
    return Optional.of(params);
  }

  /** Parameters for tests and tools: defaults plus the given options. */
  public static JobParameters of(
      String job, List<Param<?>> jobParams, List<Topic<?>> jobTopics, String... args) {
    return parse(job, args, jobParams, jobTopics).orElseThrow();
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Param<T> param) {
    return values.containsKey(param.name()) ? (T) values.get(param.name()) : param.defaultValue();
  }

  public boolean isSet(Param<?> param) {
    return values.containsKey(param.name());
  }

  public String topic(Topic<?> topic) {
    String name = topics.get(topic.name());
    if (name == null) {
      throw new IllegalArgumentException(job + " does not use the topic " + topic.name());
    }
    return name;
  }

  /** The job's own name, e.g. {@code activity-monitor}. */
  public String job() {
    return job;
  }

  /**
   * The name this run goes by: Flink job name, consumer group id and transactional id prefix.
   *
   * <p>{@code --job-name} when given. Otherwise the job's own name for the live run, the one that
   * is unbounded and uses the contract's topics; any other run, such as a bounded rebuild into a
   * fresh topic, is named after the job and a hash of what sets it apart ({@code --bounded} and
   * every topic name). So a rebuild next to the live job never commits offsets into the live job's
   * group and never fences its producers, while a restart of the same run, with the same options,
   * finds its own group and transactions again.
   */
  public String runName() {
    String name = get(CommonParams.JOB_NAME);
    if (name != null) {
      return name;
    }
    boolean contractTopics =
        jobTopics.stream().allMatch(t -> t.defaultName().equals(topics.get(t.name())));
    if (contractTopics && !get(CommonParams.BOUNDED)) {
      return job;
    }
    StringBuilder identity =
        new StringBuilder(job).append("|bounded=").append(get(CommonParams.BOUNDED));
    new TreeMap<>(topics).forEach((k, v) -> identity.append('|').append(k).append('=').append(v));
    return job + "-" + shortHash(identity.toString());
  }

  private static String shortHash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static IllegalArgumentException usageError(
      String job, Iterable<Param<?>> params, List<Topic<?>> topics, String problem) {
    return new IllegalArgumentException(problem + "\n\n" + usage(job, params, topics));
  }

  static String usage(String job, Iterable<Param<?>> params, List<Topic<?>> topics) {
    StringBuilder sb = new StringBuilder("Usage: ").append(job).append(" [--option value ...]\n");
    List<String[]> rows = new ArrayList<>();
    for (Param<?> p : params) {
      Object def = p.defaultValue();
      rows.add(
          new String[] {"--" + p.name(), p.description() + (def == null ? "" : " [" + def + "]")});
    }
    for (Topic<?> t : topics) {
      rows.add(new String[] {"--topic." + t.name(), "topic name [" + t.defaultName() + "]"});
    }
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    for (String[] row : rows) {
      sb.append("  ").append(String.format("%-" + width + "s", row[0])).append("  ").append(row[1]);
      sb.append('\n');
    }
    return sb.toString();
  }
}
