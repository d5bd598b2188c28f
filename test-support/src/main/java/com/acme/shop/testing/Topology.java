package com.acme.shop.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** What a job built on an environment, for tests of its shape: operators, uids. */
public final class Topology {
  private Topology() {}

  /** Every transformation the environment's sinks read from, each once. */
  public static List<Transformation<?>> transformations(StreamExecutionEnvironment env) {
    List<Transformation<?>> all = new ArrayList<>();
    env.getTransformations().forEach(t -> collect(t, all));
    return all;
  }

  /** The uids set on them, sorted: what a savepoint of the job is matched by. */
  public static Set<String> uids(StreamExecutionEnvironment env) {
    Set<String> uids = new TreeSet<>();
    for (Transformation<?> t : transformations(env)) {
      if (t.getUid() != null) {
        uids.add(t.getUid());
      }
    }
    return uids;
  }

  private static void collect(Transformation<?> transformation, List<Transformation<?>> all) {
    if (!all.contains(transformation)) {
      all.add(transformation);
      transformation.getInputs().forEach(input -> collect(input, all));
    }
  }
}
