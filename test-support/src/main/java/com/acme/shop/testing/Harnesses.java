package com.acme.shop.testing;

import java.util.function.Function;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Test harnesses around a job's own keyed operators, built exactly as the job builds them. */
public final class Harnesses {
  private Harnesses() {}

  /**
   * The last operator of {@code build}'s stream (a window or keyed process operator with its
   * functions, key selector and state) in an opened harness, fed directly: operators before it,
   * such as a filter, are not part of the harness.
   *
   * @param inputType the type of the stream {@code build} starts from
   */
  @SuppressWarnings("unchecked")
  public static <K, IN, OUT> KeyedOneInputStreamOperatorTestHarness<K, IN, OUT> lastOperatorOf(
      TypeInformation<IN> inputType, Function<DataStream<IN>, DataStream<OUT>> build)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    // Only a stream of the right type to build on; it never runs.
    DataStream<IN> input = env.fromSequence(0, 0).map((MapFunction<Long, IN>) n -> null, inputType);
    OneInputTransformation<IN, OUT> transformation =
        (OneInputTransformation<IN, OUT>) build.apply(input).getTransformation();
    KeyedOneInputStreamOperatorTestHarness<K, IN, OUT> harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            transformation.getOperatorFactory(),
            (KeySelector<IN, K>) transformation.getStateKeySelector(),
            (TypeInformation<K>) transformation.getStateKeyType());
    harness.open();
    return harness;
  }
}
