package com.acme.shop.activity;

import static com.acme.shop.activity.Harnesses.CLICKS;
import static com.acme.shop.activity.Harnesses.at;
import static com.acme.shop.activity.Harnesses.click;
import static com.acme.shop.model.ClickType.PAGE_VIEW;
import static com.acme.shop.testing.Harnesses.operatorWithUid;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.activity.PageViews.UserPageViews;
import com.acme.shop.model.ClickEvent;
import com.acme.shop.model.PageViewCount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Page views and unique users through the job's two keyed window steps, each in its own harness,
 * with what the first emits fed to the second as the job's shuffle would.
 */
class PageViewsTest {
  KeyedOneInputStreamOperatorTestHarness<String, ClickEvent, UserPageViews> perUser;
  KeyedOneInputStreamOperatorTestHarness<String, UserPageViews, PageViewCount> perPage;

  /** Everything the first step emitted, in order: only changes since its last firing. */
  final List<UserPageViews> userChanges = new ArrayList<>();

  void start(Duration allowedLateness) throws Exception {
    perUser =
        operatorWithUid(
            CLICKS,
            clicks -> PageViews.count(clicks, allowedLateness, Harnesses.LATE_CLICKS).counts(),
            "page-views-per-user");
    perPage =
        operatorWithUid(
            CLICKS,
            clicks -> PageViews.count(clicks, allowedLateness, Harnesses.LATE_CLICKS).counts(),
            "page-views-per-page");
  }

  @AfterEach
  void close() throws Exception {
    perUser.close();
    perPage.close();
  }

  /** A page view, fed with its event time as the record's timestamp (the filter is not here). */
  void view(String id, String user, String page, String time) throws Exception {
    ClickEvent c = click(id, user, PAGE_VIEW, time);
    ClickEvent onPage =
        new ClickEvent(c.eventId(), c.userId(), c.sessionId(), c.type(), page, null, c.eventTime());
    perUser.processElement(onPage, onPage.eventTime().toEpochMilli());
    forward();
  }

  void watermark(String time) throws Exception {
    perUser.processWatermark(new Watermark(at(time).toEpochMilli()));
    forward();
  }

  /** Moves the first step's output, records and watermarks, into the second step. */
  @SuppressWarnings("unchecked")
  void forward() throws Exception {
    Object next;
    while ((next = perUser.getOutput().poll()) != null) {
      if (next instanceof StreamRecord<?> record) {
        userChanges.add((UserPageViews) record.getValue());
        perPage.processElement((StreamRecord<UserPageViews>) record);
      } else if (next instanceof Watermark watermark) {
        perPage.processWatermark(watermark);
      }
    }
  }

  static PageViewCount pv(String page, String minute, long views, long users) {
    Instant start = at(minute + ":00");
    return new PageViewCount(page, start, start.plus(Duration.ofMinutes(1)), views, users);
  }

  @Test
  void countsViewsAndDistinctUsersPerPageAndMinute() throws Exception {
    start(Duration.ZERO);
    view("1", "u1", "/home", "09:00:01");
    view("2", "u1", "/home", "09:00:20");
    view("3", "u2", "/home", "09:00:59.999");
    view("4", "u1", "/p/1", "09:00:30");
    view("5", "u1", "/home", "09:01:00"); // the next window: half-open
    watermark("09:00:59.999");

    assertThat(perPage.extractOutputValues())
        .containsExactlyInAnyOrder(pv("/home", "09:00", 3, 2), pv("/p/1", "09:00", 1, 1));

    watermark("09:01:59.999");
    assertThat(perPage.extractOutputValues()).contains(pv("/home", "09:01", 1, 1));
    assertThat(perUser.numKeyedStateEntries()).isZero();
    assertThat(perPage.numKeyedStateEntries()).isZero();
  }

  @Test
  void aWindowFiringAgainForALateViewEmitsOnlyTheChangeAndTheCountStaysExact() throws Exception {
    start(Duration.ofMinutes(1));
    view("1", "u1", "/home", "09:00:01");
    view("2", "u1", "/home", "09:00:02");
    view("3", "u2", "/home", "09:00:03");
    watermark("09:01:10");
    assertThat(perPage.extractOutputValues()).containsExactly(pv("/home", "09:00", 3, 2));

    // Behind the watermark, within the allowed lateness: each fires its windows again.
    view("4", "u3", "/home", "09:00:30"); // a new user
    view("5", "u1", "/home", "09:00:40"); // one more view of a user already counted
    assertThat(userChanges)
        .containsExactly(
            new UserPageViews("/home", 2, 1), // u1's window, on time
            new UserPageViews("/home", 1, 1), // u2's window, on time
            new UserPageViews("/home", 1, 1), // u3's window, late: one view, one new user
            new UserPageViews("/home", 1, 0)); // u1's window again: the one view it adds
    assertThat(perPage.extractOutputValues())
        .containsExactly(
            pv("/home", "09:00", 3, 2), pv("/home", "09:00", 4, 3), pv("/home", "09:00", 5, 3));

    // Past the allowed lateness the windows and their state are gone.
    watermark("09:02:00");
    assertThat(perUser.numKeyedStateEntries()).isZero();
    assertThat(perPage.numKeyedStateEntries()).isZero();
  }
}
