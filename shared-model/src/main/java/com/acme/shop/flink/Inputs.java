package com.acme.shop.flink;

import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.Parsed;
import com.acme.shop.kafka.RawRecord;
import com.acme.shop.kafka.RejectedTopics;
import com.acme.shop.model.EventTimed;
import com.acme.shop.params.JobParameters;
import com.acme.shop.topics.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Every input of one job, read through one place so that the rejected records of all of them end up
 * in the job's one {@code dlq.<job>} and one {@code late.<job>} topic, each written by a single
 * sink. A job reading payments and logins reads both here, then calls {@link #writeRejected} once:
 *
 * <pre>{@code
 * Inputs inputs = new Inputs(env, params);
 * Input<PaymentTransaction> payments = inputs.read(Topics.TRANSACTIONS, paymentSource);
 * Input<LoginEvent> logins = inputs.read(Topics.LOGINS, loginSource);
 * ...
 * inputs.writeRejected(outputs.deadLetters(), outputs.late());
 * }</pre>
 */
public final class Inputs {
  private final StreamExecutionEnvironment env;
  private final JobParameters params;
  private final List<Input<?>> inputs = new ArrayList<>();
  private boolean written;

  public Inputs(StreamExecutionEnvironment env, JobParameters params) {
    this.env = env;
    this.params = params;
  }

  /** Reads one input topic as {@link Input#read} does, and keeps its rejected records. */
  public <T extends EventTimed> Input<T> read(Topic<T> topic, Source<Parsed<T>, ?, ?> source) {
    checkNotWritten(topic);
    Input<T> input = Input.read(env, source, params, topic);
    inputs.add(input);
    return input;
  }

  /**
   * Reads one input topic as {@link Input#readEveryRecord} does (nothing is late), and keeps its
   * dead letters.
   */
  public <T extends EventTimed> Input<T> readEveryRecord(
      Topic<T> topic, Source<Parsed<T>, ?, ?> source) {
    checkNotWritten(topic);
    Input<T> input = Input.readEveryRecord(env, source, params, topic);
    inputs.add(input);
    return input;
  }

  private void checkNotWritten(Topic<?> topic) {
    if (written) {
      throw new IllegalStateException(
          "read " + topic.name() + " before writeRejected, or its rejected records are lost");
    }
  }

  /** The dead letters of every input read so far, as one stream. */
  public DataStream<DeadLetter> deadLetters() {
    return union(Input::deadLetters);
  }

  /** The late records of every input read so far, as one stream. */
  public DataStream<RawRecord> late() {
    return union(Input::late);
  }

  /**
   * Writes every input's dead letters to {@code deadLetters} and late records to {@code late}: the
   * job's {@code dlq.<job>} and {@code late.<job>} topics. {@code lateDownstream} are the late
   * records that operators after the router caught (windows, timers, patterns, joins; see {@link
   * LateEvents}); they go to the same late sink. Call once, after the last read.
   */
  @SafeVarargs
  public final void writeRejected(
      Sink<DeadLetter> deadLetters, Sink<RawRecord> late, DataStream<RawRecord>... lateDownstream) {
    writeRejected(deadLetters, late, List.of(), lateDownstream);
  }

  /**
   * {@link #writeRejected(Sink, Sink, DataStream[])}, with {@code deadLettersDownstream}: records
   * that operators after the router refused, such as events that break an invariant the parser
   * cannot see. They go to the same dead-letter sink.
   */
  @SafeVarargs
  public final void writeRejected(
      Sink<DeadLetter> deadLetters,
      Sink<RawRecord> late,
      List<DataStream<DeadLetter>> deadLettersDownstream,
      DataStream<RawRecord>... lateDownstream) {
    if (written) {
      throw new IllegalStateException("the rejected records are already written");
    }
    written = true;
    DataStream<RawRecord> allLate =
        lateDownstream.length == 0 ? late() : late().union(lateDownstream);
    DataStream<DeadLetter> allDeadLetters = deadLetters();
    for (DataStream<DeadLetter> downstream : deadLettersDownstream) {
      allDeadLetters = allDeadLetters.union(downstream);
    }
    Output.write(allDeadLetters, deadLetters, params, RejectedTopics.deadLetters(params.job()));
    Output.write(allLate, late, params, RejectedTopics.late(params.job()));
  }

  private <R> DataStream<R> union(Function<Input<?>, DataStream<R>> side) {
    if (inputs.isEmpty()) {
      throw new IllegalStateException("no input read yet");
    }
    DataStream<R> all = side.apply(inputs.get(0));
    for (Input<?> input : inputs.subList(1, inputs.size())) {
      all = all.union(side.apply(input));
    }
    return all;
  }
}
