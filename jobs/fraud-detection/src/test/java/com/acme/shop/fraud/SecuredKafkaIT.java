package com.acme.shop.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.acme.shop.fraud.FraudRuns.Detected;
import com.acme.shop.json.Json;
import com.acme.shop.model.FraudAlert;
import com.acme.shop.params.JobParameters;
import com.acme.shop.testing.FlinkMiniCluster;
import com.acme.shop.testing.JobArgs;
import com.acme.shop.testing.JobRestarts;
import com.acme.shop.testing.SecuredKafka;
import com.acme.shop.testing.TopicIO;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job against a secured broker: SASL_SSL with SCRAM users and ACLs, its credentials given in a
 * {@code --kafka.properties} file. With them it computes what it computes on a plain broker; a
 * client without them is refused; a principal that may not write an output topic fails the job
 * loudly; and the secrets appear neither in the arguments nor in the log.
 *
 * <p>The failing principal runs first, on purpose: its failed sink once stopped the MiniCluster's
 * task manager as it was cleaned up (see {@code LeakFreeKafkaSink}), and the runs after it show
 * that the task manager lives on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredKafkaIT {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

  @TempDir static Path dir;
  static SecuredKafka kafka;

  static final String JOB_USER = "fraud-job";
  static final String JOB_PASSWORD = "pw-" + UUID.randomUUID();
  static final String READ_ONLY_USER = "fraud-job-without-alerts";
  static final String READ_ONLY_PASSWORD = "pw-" + UUID.randomUUID();

  @BeforeAll
  static void startTheSecuredBroker() throws Exception {
    kafka = SecuredKafka.start(dir);
    kafka.addUser(JOB_USER, JOB_PASSWORD);
    kafka.addUser(READ_ONLY_USER, READ_ONLY_PASSWORD);
  }

  @AfterAll
  static void stopTheBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** Fresh topics with the rules' fixture (every rule fires) written through the test's door. */
  static RunTopics inputs() {
    RunTopics topics = RunTopics.unique().create(kafka.topics(), 1, 2);
    kafka.topics().write(topics.transactions(), HostileInputIT.transactions());
    kafka.topics().write(topics.logins(), HostileInputIT.logins());
    return topics;
  }

  static JobParameters params(
      String bootstrapServers, RunTopics topics, String run, String... extra) {
    List<String> args = JobArgs.forTest(bootstrapServers, run, "500ms");
    args.addAll(List.of("--bounded", "--restart-delay", "100ms"));
    args.addAll(topics.options());
    args.addAll(List.of(extra));
    return FraudDetectionJob.parameters(args.toArray(String[]::new)).orElseThrow();
  }

  /** The ACLs a run of the job needs, the write on its alerts topic only if {@code mayAlert}. */
  static void grant(String user, RunTopics topics, String run, boolean mayAlert) throws Exception {
    for (String input : List.of(topics.transactions(), topics.logins())) {
      kafka.allow(
          user,
          ResourceType.TOPIC,
          input,
          PatternType.LITERAL,
          AclOperation.READ,
          AclOperation.DESCRIBE);
    }
    List<String> outputs = new ArrayList<>(List.of(topics.dlq(), topics.late()));
    if (mayAlert) {
      outputs.add(topics.alerts());
    } else {
      // Everything but the write: the sink starts, and fails at its first record.
      kafka.allow(
          user,
          ResourceType.TOPIC,
          topics.alerts(),
          PatternType.LITERAL,
          AclOperation.DESCRIBE,
          AclOperation.READ);
    }
    // READ as well: on start an exactly-once sink looks up the transactions left open on its
    // topics (DescribeProducers), which Kafka authorizes as a read.
    for (String output : outputs) {
      kafka.allow(
          user,
          ResourceType.TOPIC,
          output,
          PatternType.LITERAL,
          AclOperation.WRITE,
          AclOperation.DESCRIBE,
          AclOperation.READ);
    }
    kafka.allow(
        user,
        ResourceType.GROUP,
        run,
        PatternType.LITERAL,
        AclOperation.READ,
        AclOperation.DESCRIBE);
    kafka.allow(
        user,
        ResourceType.TRANSACTIONAL_ID,
        run,
        PatternType.PREFIXED,
        AclOperation.WRITE,
        AclOperation.DESCRIBE);
  }

  static List<Detected> alerts(String topic) {
    return kafka.topics().readAll(topic).stream()
        .map(r -> Json.parse(r.value().getBytes(StandardCharsets.UTF_8), FraudAlert.class))
        .map(Detected::of)
        .toList();
  }

  @Test
  @Order(2)
  void withItsCredentialsTheJobComputesWhatItDoesOnAPlainBrokerAndShowsNoSecret() throws Exception {
    RunTopics plain = inputs();
    JobRestarts.awaitFinishedWithoutFailure(
        FLINK,
        FraudRuns.start(
            params(kafka.plaintextBootstrapServers(), plain, TopicIO.unique("fraud-plain"))),
        FraudRuns.JOB_TIMEOUT);

    RunTopics secured = inputs();
    String run = TopicIO.unique("fraud-secured");
    grant(JOB_USER, secured, run, true);
    Path settings =
        kafka.writeClientProperties(dir.resolve("fraud.properties"), JOB_USER, JOB_PASSWORD);
    JobParameters params =
        params(
            kafka.securedBootstrapServers(),
            secured,
            run,
            "--kafka.properties",
            settings.toString());
    // Kafka's clients log their whole configuration at INFO (AbstractConfig); the test log keeps
    // Kafka at WARN, so for this run it is raised: the secrets must not be in what is logged.
    Path log = Path.of("target", "test.log");
    long logBefore = Files.exists(log) ? Files.size(log) : 0;
    Configurator.setLevel("org.apache.kafka.common.config", Level.INFO);
    try {
      JobRestarts.awaitFinishedWithoutFailure(
          FLINK, FraudRuns.start(params), FraudRuns.JOB_TIMEOUT);
    } finally {
      Configurator.setLevel("org.apache.kafka.common.config", Level.WARN);
    }

    List<Detected> expected = alerts(plain.alerts()).stream().map(Detected::withoutId).toList();
    assertThat(expected)
        .extracting(Detected::rule)
        .contains("CARD_TESTING", "IMPOSSIBLE_TRAVEL", "VELOCITY", "ACCOUNT_TAKEOVER");
    assertThat(alerts(secured.alerts()).stream().map(Detected::withoutId))
        .containsExactlyInAnyOrderElementsOf(expected);

    String written = Files.readString(log).substring((int) logBefore);
    assertThat(written)
        .contains("sasl.jaas.config = [hidden]", "ssl.truststore.password = [hidden]");
    Properties clientSettings = kafka.clientProperties(JOB_USER, JOB_PASSWORD);
    assertThat(written)
        .doesNotContain(JOB_PASSWORD)
        .doesNotContain(clientSettings.getProperty("ssl.truststore.password"));
  }

  @Test
  @Order(3)
  void aClientWithoutTheCredentialsIsRefused() throws Exception {
    Properties wrongPassword = kafka.clientProperties(JOB_USER, "not-" + JOB_PASSWORD);
    assertThatThrownBy(() -> describeCluster(wrongPassword))
        .hasRootCauseInstanceOf(SaslAuthenticationException.class);

    // No SASL and no TLS at all: the listener never answers a plaintext client.
    assertThatThrownBy(() -> describeCluster(new Properties()))
        .isInstanceOf(ExecutionException.class);

    assertThat(describeCluster(kafka.clientProperties(JOB_USER, JOB_PASSWORD))).isPositive();
  }

  private static int describeCluster(Properties settings) throws Exception {
    Properties props = new Properties();
    props.putAll(settings);
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.securedBootstrapServers());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
    try (Admin admin = Admin.create(props)) {
      return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
    }
  }

  @Test
  @Order(1)
  void aPrincipalThatMayNotWriteAnOutputFailsTheJobLoudlyAndWritesNothingElsewhere()
      throws Exception {
    RunTopics topics = inputs();
    String run = TopicIO.unique("fraud-no-alerts");
    grant(READ_ONLY_USER, topics, run, false);
    Path settings =
        kafka.writeClientProperties(
            dir.resolve("read-only.properties"), READ_ONLY_USER, READ_ONLY_PASSWORD);
    Set<String> topicsBefore = kafka.topics().admin().listTopics().names().get();

    JobClient job =
        FraudRuns.start(
            params(
                kafka.securedBootstrapServers(),
                topics,
                run,
                "--kafka.properties",
                settings.toString()));
    ExecutionException failure =
        catchThrowableOfType(
            ExecutionException.class,
            () ->
                job.getJobExecutionResult()
                    .get(FraudRuns.JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    assertThat(failure).as("the job's end").isNotNull();
    TopicAuthorizationException refused =
        ExceptionUtils.findThrowable(failure, TopicAuthorizationException.class)
            .orElseThrow(() -> new AssertionError("not refused by an ACL", failure));
    assertThat(refused.unauthorizedTopics()).as("refused").containsExactly(topics.alerts());
    assertThat(kafka.topics().readAll(topics.alerts())).isEmpty();
    assertThat(kafka.topics().readAll(topics.dlq())).isEmpty();
    assertThat(kafka.topics().admin().listTopics().names().get()).isEqualTo(topicsBefore);
  }
}
