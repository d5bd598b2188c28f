package com.acme.shop.fraud;

import static com.acme.shop.fraud.Fixtures.LATE_LOGINS;
import static com.acme.shop.fraud.Fixtures.RULES;
import static com.acme.shop.fraud.Fixtures.alerts;
import static com.acme.shop.fraud.Fixtures.at;
import static com.acme.shop.fraud.Fixtures.endOfInput;
import static com.acme.shop.fraud.Fixtures.eventIds;
import static com.acme.shop.fraud.Fixtures.feedLogins;
import static com.acme.shop.fraud.Fixtures.lateLoginIds;
import static com.acme.shop.fraud.Fixtures.login;
import static com.acme.shop.fraud.Fixtures.watermark;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.shop.model.AlertSeverity;
import com.acme.shop.model.FraudAlert;
import com.acme.shop.model.FraudRule;
import com.acme.shop.model.LoginEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ACCOUNT_TAKEOVER on the job's own CEP operator. */
class AccountTakeoverTest {
  KeyedOneInputStreamOperatorTestHarness<String, LoginEvent, FraudAlert> harness;

  @BeforeEach
  void start() throws Exception {
    harness =
        Fixtures.harness(LoginEvent.class, s -> AccountTakeover.detect(s, RULES, LATE_LOGINS));
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** {@code n} failed logins of {@code user}, a minute apart from {@code first}. */
  static LoginEvent[] failures(String user, int n, String first) {
    LoginEvent[] logins = new LoginEvent[n];
    Instant t = at(first);
    for (int i = 0; i < n; i++) {
      logins[i] =
          new LoginEvent(
              user + "-f" + i, user, false, "203.0.113.7", "NL", "dev-1", t.plusSeconds(60L * i));
    }
    return logins;
  }

  static List<String> ids(LoginEvent[] logins, String... more) {
    List<String> ids = new ArrayList<>();
    for (LoginEvent l : logins) {
      ids.add(l.eventId());
    }
    ids.addAll(List.of(more));
    return ids;
  }

  @Test
  void fiveFailuresThenASuccessAlertOnce() throws Exception {
    LoginEvent[] failed = failures("u1", 5, "09:00:00");
    feedLogins(harness, failed);
    feedLogins(harness, login("ok", "u1", true, "09:05:00"));
    endOfInput(harness);

    List<FraudAlert> alerts = alerts(harness);
    assertThat(alerts).hasSize(1);
    FraudAlert alert = alerts.get(0);
    assertThat(alert.rule()).isEqualTo(FraudRule.ACCOUNT_TAKEOVER);
    assertThat(alert.severity()).isEqualTo(AlertSeverity.CRITICAL);
    assertThat(alert.key()).isEqualTo("u1");
    assertThat(alert.eventIds()).isEqualTo(ids(failed, "ok"));
    assertThat(alert.firstEventTime()).isEqualTo(at("09:00:00"));
    assertThat(alert.lastEventTime()).isEqualTo(at("09:05:00"));
    assertThat(alert.details())
        .containsEntry("failedLogins", "5")
        .containsEntry("ip", "203.0.113.7");
    assertStateIsEmpty();
  }

  @Test
  void fourFailuresAreANearMiss() throws Exception {
    feedLogins(harness, failures("u1", 4, "09:00:00"));
    feedLogins(harness, login("ok", "u1", true, "09:05:00"));
    endOfInput(harness);

    assertThat(alerts(harness)).isEmpty();
    assertStateIsEmpty();
  }

  @Test
  void moreFailuresAreAllListed() throws Exception {
    LoginEvent[] failed = failures("u1", 8, "09:00:00");
    feedLogins(harness, failed);
    feedLogins(harness, login("ok", "u1", true, "09:08:00"));
    endOfInput(harness);

    assertThat(eventIds(harness)).containsExactly(ids(failed, "ok"));
  }

  @Test
  void aSuccessBetweenTheFailuresResetsTheCount() throws Exception {
    LoginEvent[] before = failures("u1", 3, "09:00:00");
    LoginEvent[] after = failures("u1", 4, "09:04:00");
    feedLogins(harness, before);
    feedLogins(harness, login("ok1", "u1", true, "09:03:00"));
    feedLogins(harness, after);
    feedLogins(harness, login("ok2", "u1", true, "09:08:00"));
    endOfInput(harness);

    assertThat(alerts(harness)).isEmpty();
  }

  @Test
  void onlyFailuresOfTheTenMinutesBeforeTheSuccessCount() throws Exception {
    // Six failures a minute apart; the first is 10 min 1 s before the success.
    LoginEvent[] failed = failures("u1", 6, "08:59:59");
    feedLogins(harness, failed);
    feedLogins(harness, login("ok", "u1", true, "09:10:00"));
    endOfInput(harness);

    List<String> lastFive = ids(failed, "ok").subList(1, 7);
    assertThat(eventIds(harness)).containsExactly(lastFive);
  }

  @Test
  void fiveFailuresSpreadOverMoreThanTenMinutesAreNoTakeover() throws Exception {
    feedLogins(harness, failures("u1", 5, "09:00:00"));
    feedLogins(harness, login("ok", "u1", true, "09:10:00.001"));
    endOfInput(harness);

    assertThat(alerts(harness)).isEmpty();
  }

  @Test
  void onlyTheFirstSuccessAfterTheFailuresAlerts() throws Exception {
    feedLogins(harness, failures("u1", 5, "09:00:00"));
    feedLogins(harness, login("ok1", "u1", true, "09:05:00"), login("ok2", "u1", true, "09:06:00"));
    endOfInput(harness);

    assertThat(alerts(harness)).extracting(a -> a.eventIds().get(5)).containsExactly("ok1");
  }

  @Test
  void outOfOrderArrivalWithinTheBoundMatchesTheSame() throws Exception {
    LoginEvent[] failed = failures("u1", 5, "09:00:00");
    feedLogins(harness, failed[4], failed[2], login("ok", "u1", true, "09:05:00"));
    feedLogins(harness, failed[0], failed[1], failed[3]);
    watermark(harness, "09:05:00");

    assertThat(eventIds(harness)).containsExactly(ids(failed, "ok"));
  }

  @Test
  void aLoginAtOrBehindTheWatermarkGoesToTheLateTopic() throws Exception {
    LoginEvent[] failed = failures("u1", 5, "09:00:00");
    feedLogins(harness, failed[0], failed[1], failed[2], failed[3]);
    watermark(harness, "09:04:00");
    feedLogins(harness, failed[4], login("ok", "u1", true, "09:05:00"));
    endOfInput(harness);

    assertThat(lateLoginIds(harness)).containsExactly(failed[4].eventId());
    assertThat(alerts(harness)).isEmpty();
  }

  @Test
  void aPasswordGuessingFloodListsTheLatestFailures() throws Exception {
    int cap = RULES.maxAlertEventIds();
    Instant start = at("09:00:00");
    List<String> expected = new ArrayList<>();
    int failures = 20 * cap;
    for (int i = 0; i < failures; i++) {
      String id = "f" + (10_000 + i);
      Instant t = start.plusMillis(100L * i);
      feedLogins(harness, new LoginEvent(id, "u1", false, "203.0.113.7", "NL", "dev-1", t));
      harness.processWatermark(t.toEpochMilli());
      if (i >= failures - (cap - 1)) {
        expected.add(id);
      }
    }
    feedLogins(harness, login("ok", "u1", true, "09:04:00"));
    expected.add("ok");
    endOfInput(harness);

    assertThat(eventIds(harness)).containsExactly(expected);
    assertStateIsEmpty();
  }

  @Test
  void stateIsEmptyOnceTheWatermarkPassesEveryPattern() throws Exception {
    Instant start = at("09:00:00");
    for (int user = 0; user < 10_000; user++) {
      String u = "user-" + user;
      Instant t = start.plusMillis(user);
      for (int i = 0; i < 5; i++) {
        feedLogins(
            harness, new LoginEvent(u + "-f" + i, u, false, "ip", "NL", "dev", t.plusSeconds(i)));
      }
      feedLogins(harness, new LoginEvent(u + "-ok", u, true, "ip", "NL", "dev", t.plusSeconds(5)));
      // A run that never ends in a success must time out too.
      feedLogins(harness, new LoginEvent(u + "-f9", u, false, "ip", "NL", "dev", t.plusSeconds(6)));
    }
    assertThat(harness.numKeyedStateEntries()).isPositive();
    harness.processWatermark(start.plus(Duration.ofMinutes(11)).toEpochMilli());

    assertThat(alerts(harness)).hasSize(10_000);
    assertStateIsEmpty();
  }

  private void assertStateIsEmpty() {
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(harness.numEventTimeTimers()).isZero();
  }
}
