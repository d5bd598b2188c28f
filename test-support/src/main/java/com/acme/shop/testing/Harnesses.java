package com.acme.shop.testing;

import java.util.function.Function;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Test harnesses around a job's own keyed operators (window or keyed process operators with their
 * functions, key selector and state), built exactly as the job builds them. A harness is fed
 * directly: operators before the one it holds, such as a filter, are not part of it.
 */
public final class Harnesses {
  private Harnesses() {}

  /**
   * The last operator of {@code build}'s stream, in an opened harness.
   *
   * @param inputType the type of the stream {@code build} starts from
   */
  public static <K, IN, OUT> KeyedOneInputStreamOperatorTestHarness<K, IN, OUT> lastOperatorOf(
      TypeInformation<IN> inputType, Function<DataStream<IN>, DataStream<OUT>> build)
      throws Exception {
    return lastOperatorOf(inputType, build, null);
  }

  /**
   * {@link #lastOperatorOf(TypeInformation, Function)}, restored from {@code snapshot} (a {@code
   * harness.snapshot(...)} of the same operator) before it opens: for what survives a restart.
   */
  public static <K, IN, OUT> KeyedOneInputStreamOperatorTestHarness<K, IN, OUT> lastOperatorOf(
      TypeInformation<IN> inputType,
      Function<DataStream<IN>, DataStream<OUT>> build,
      OperatorSubtaskState snapshot)
      throws Exception {
    return harness(build.apply(input(inputType)).getTransformation(), snapshot);
  }

  /**
   * The operator with {@code uid} among those {@code build} chains, in an opened harness: for a
   * step in the middle of a chain of keyed operators. Its input and output types are the caller's
   * to know.
   */
  public static <K, IN, I, O> KeyedOneInputStreamOperatorTestHarness<K, I, O> operatorWithUid(
      TypeInformation<IN> inputType, Function<DataStream<IN>, DataStream<?>> build, String uid)
      throws Exception {
    Transformation<?> found = withUid(build.apply(input(inputType)).getTransformation(), uid);
    if (found == null) {
      throw new IllegalArgumentException("no operator with uid " + uid);
    }
    return harness(found, null);
  }

  /** A stream of the right type to build on; it never runs. */
  private static <IN> DataStream<IN> input(TypeInformation<IN> type) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    return env.fromSequence(0, 0).map((MapFunction<Long, IN>) n -> null, type);
  }

  private static Transformation<?> withUid(Transformation<?> transformation, String uid) {
    if (uid.equals(transformation.getUid())) {
      return transformation;
    }
    for (Transformation<?> input : transformation.getInputs()) {
      Transformation<?> found = withUid(input, uid);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static <K, I, O> KeyedOneInputStreamOperatorTestHarness<K, I, O> harness(
      Transformation<?> found, OperatorSubtaskState snapshot) throws Exception {
    OneInputTransformation<I, O> transformation = (OneInputTransformation<I, O>) found;
    KeyedOneInputStreamOperatorTestHarness<K, I, O> harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            transformation.getOperatorFactory(),
            (KeySelector<I, K>) transformation.getStateKeySelector(),
            (TypeInformation<K>) transformation.getStateKeyType());
    if (snapshot != null) {
      harness.initializeState(snapshot);
    }
    harness.open();
    return harness;
  }
}
