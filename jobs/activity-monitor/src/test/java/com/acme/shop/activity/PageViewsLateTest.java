package com.acme.shop.activity;

import static com.acme.shop.activity.Harnesses.at;
import static com.acme.shop.activity.Harnesses.click;
import static com.acme.shop.activity.Harnesses.endOfInput;
import static com.acme.shop.activity.Harnesses.feed;
import static com.acme.shop.activity.Harnesses.lateClickIds;
import static com.acme.shop.activity.Harnesses.watermark;
import static com.acme.shop.model.ClickType.PAGE_VIEW;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.activity.PageViews.UserPageViews;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.PageViewCount;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The late side outputs of both steps of {@code activity.page-views}. */
class PageViewsLateTest {
  @Test
  void aPageViewTooLateForItsMinuteGoesToTheLateSideOutput() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, UserPageViews> h =
        com.acme.shop.testing.Harnesses.lastOperatorOf(
            Harnesses.CLICKS,
            clicks -> PageViews.perUser(clicks, Duration.ZERO, Harnesses.LATE_CLICKS))) {
      feed(h, click("e1", "u1", PAGE_VIEW, "09:00:10"));
      watermark(h, "09:00:59.999");
      feed(h, click("late", "u2", PAGE_VIEW, "09:00:20"));
      endOfInput(h);

      assertThat(h.extractOutputValues()).containsExactly(new UserPageViews("/page", 1, 1));
      assertThat(lateClickIds(h)).containsExactly("late");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aChangeTooLateForItsPagesMinuteGoesToTheLateSideOutputToo() throws Exception {
    DataStream<UserPageViews> changes =
        StreamExecutionEnvironment.getExecutionEnvironment()
            .fromData(
                List.of(new UserPageViews("/page", 1, 1)), TypeInformation.of(UserPageViews.class));
    var transformation =
        (OneInputTransformation<UserPageViews, PageViewCount>)
            PageViews.perPage(changes, Duration.ZERO).getTransformation();
    try (var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            transformation.getOperatorFactory(),
            (KeySelector<UserPageViews, String>) transformation.getStateKeySelector(),
            (TypeInformation<String>) transformation.getStateKeyType())) {
      h.open();
      long endOfMinute = at("09:00:59.999").toEpochMilli();
      h.processElement(new UserPageViews("/page", 2, 2), endOfMinute);
      h.processWatermark(endOfMinute);
      h.processElement(new UserPageViews("/page", 1, 0), endOfMinute);

      assertThat(h.extractOutputValues())
          .containsExactly(new PageViewCount("/page", at("09:00:00"), at("09:01:00"), 2, 2));
      assertThat(h.getSideOutput(PageViews.LATE_CHANGES.tag()))
          .extracting(r -> r.getValue())
          .containsExactly(new UserPageViews("/page", 1, 0));
    }
  }
}
