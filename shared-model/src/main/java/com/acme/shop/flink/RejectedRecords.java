package com.acme.shop.flink;

import com.acme.shop.kafka.DeadLetter;
import com.acme.shop.kafka.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** The two side outputs every job has: records it cannot parse, and records that came too late. */
public final class RejectedRecords {
  private RejectedRecords() {}

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  public static final OutputTag<RawRecord> LATE =
      new OutputTag<>("late-records", TypeInformation.of(RawRecord.class));
}
