package com.acme.shop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A real broker as a secured production cluster looks to its clients: a SASL_SSL listener with
 * SCRAM-SHA-512 users, a TLS certificate for localhost made for the test, and ACLs with nothing
 * allowed unless granted. A second, plaintext listener on localhost is the test's own door (its
 * principal is a super user): it creates users, topics and ACLs and reads the results.
 */
public final class SecuredKafka implements AutoCloseable {
  public static final String MECHANISM = "SCRAM-SHA-512";

  private final EmbeddedKafka broker;
  private final int securedPort;
  private final Path truststore;
  private final String truststorePassword;

  private SecuredKafka(
      EmbeddedKafka broker, int securedPort, Path truststore, String truststorePassword) {
    this.broker = broker;
    this.securedPort = securedPort;
    this.truststore = truststore;
    this.truststorePassword = truststorePassword;
  }

  /** Starts the broker; its key and trust stores go to {@code dir}. */
  public static SecuredKafka start(Path dir) {
    String storePassword = UUID.randomUUID().toString();
    Path keystore = dir.resolve("broker.p12");
    Path truststore = dir.resolve("truststore.p12");
    Path certificate = dir.resolve("broker.crt");
    keytool(
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        storePassword,
        "-keypass",
        storePassword);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "broker",
        "-keystore",
        keystore.toString(),
        "-storepass",
        storePassword,
        "-file",
        certificate.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "broker",
        "-file",
        certificate.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        truststore.toString(),
        "-storepass",
        storePassword);

    int[] securedPort = new int[1];
    EmbeddedKafka broker =
        EmbeddedKafka.start(
            (port, controllerPort) -> {
              int secured = LocalResources.freePort();
              while (secured == port || secured == controllerPort) {
                secured = LocalResources.freePort();
              }
              securedPort[0] = secured;
              Properties props = new Properties();
              props.put(
                  "listeners",
                  "PLAINTEXT://localhost:"
                      + port
                      + ",SASL_SSL://localhost:"
                      + secured
                      + ",CONTROLLER://localhost:"
                      + controllerPort);
              props.put(
                  "advertised.listeners",
                  "PLAINTEXT://localhost:" + port + ",SASL_SSL://localhost:" + secured);
              props.put(
                  "listener.security.protocol.map",
                  "PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
              props.put("sasl.enabled.mechanisms", MECHANISM);
              props.put(
                  "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                  "org.apache.kafka.common.security.scram.ScramLoginModule required;");
              props.put("listener.name.sasl_ssl.ssl.keystore.location", keystore.toString());
              props.put("listener.name.sasl_ssl.ssl.keystore.password", storePassword);
              props.put("listener.name.sasl_ssl.ssl.key.password", storePassword);
              props.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
              props.put(
                  "authorizer.class.name",
                  "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
              // The plaintext listener and the controller: the test and the broker itself.
              props.put("super.users", "User:ANONYMOUS");
              props.put("allow.everyone.if.no.acl.found", "false");
              return props;
            });
    return new SecuredKafka(broker, securedPort[0], truststore, storePassword);
  }

  private static void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The test's own plaintext listener, as a super user. */
  public String plaintextBootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The SASL_SSL listener the clients under test use. */
  public String securedBootstrapServers() {
    return "localhost:" + securedPort;
  }

  /** Topics through the test's own listener. */
  public TopicIO topics() {
    return broker.topics();
  }

  /**
   * The client settings of {@code user} with {@code password} on the SASL_SSL listener, without the
   * bootstrap servers.
   */
  public Properties clientProperties(String user, String password) {
    Properties props = new Properties();
    props.put("security.protocol", "SASL_SSL");
    props.put("sasl.mechanism", MECHANISM);
    props.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
    props.put("ssl.truststore.location", truststore.toString());
    props.put("ssl.truststore.password", truststorePassword);
    props.put("ssl.truststore.type", "PKCS12");
    return props;
  }

  /** Writes {@link #clientProperties} to {@code file}, as a job's --kafka.properties. */
  public Path writeClientProperties(Path file, String user, String password) throws IOException {
    try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      clientProperties(user, password).store(out, "client settings of " + user);
    }
    return file;
  }

  /** Creates (or replaces) the SCRAM credentials of {@code user}. */
  public void addUser(String user, String password) throws Exception {
    try (Admin admin = admin()) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
          .all()
          .get();
    }
  }

  /** Allows {@code user} the {@code operations} on a resource, and waits until the broker does. */
  public void allow(
      String user, ResourceType type, String name, PatternType pattern, AclOperation... operations)
      throws Exception {
    List<AclBinding> bindings = new ArrayList<>();
    ResourcePattern resource = new ResourcePattern(type, name, pattern);
    for (AclOperation operation : operations) {
      bindings.add(
          new AclBinding(
              resource,
              new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
    }
    try (Admin admin = admin()) {
      admin.createAcls(bindings).all().get();
      Await.until(
          "the ACLs of " + user + " on " + name,
          Duration.ofSeconds(30),
          () -> {
            try {
              return admin.describeAcls(AclBindingFilter.ANY).values().get().containsAll(bindings);
            } catch (InterruptedException | ExecutionException e) {
              return false;
            }
          });
    }
  }

  private Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintextBootstrapServers());
    return Admin.create(props);
  }

  @Override
  public void close() {
    broker.close();
  }
}
