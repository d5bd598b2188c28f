package com.acme.shop.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The REST calls the Flink web dashboard makes: upload a jar, run it, watch a job, cancel it. */
final class FlinkRest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELED");

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  FlinkRest(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** {@code POST /jars/upload} as the "Add New" button sends it; returns the jar id. */
  String uploadJar(Path jar) throws IOException, InterruptedException {
    String boundary = "----shop" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName()
                + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(Files.readAllBytes(jar));
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    JsonNode answer =
        send(
            HttpRequest.newBuilder(uri("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    String stored = answer.path("filename").asText();
    if (!"success".equals(answer.path("status").asText()) || stored.isEmpty()) {
      throw new AssertionError("upload of " + jar.getFileName() + " failed: " + answer);
    }
    return Path.of(stored).getFileName().toString();
  }

  /** {@code POST /jars/<id>/run} with no entry class: the jar's manifest names it. */
  String runJar(String jarId, List<String> programArgs) throws IOException, InterruptedException {
    String request = JSON.writeValueAsString(Map.of("programArgsList", programArgs));
    JsonNode answer =
        send(
            HttpRequest.newBuilder(uri("/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)));
    String jobId = answer.path("jobid").asText();
    if (jobId.isEmpty()) {
      throw new AssertionError("running jar " + jarId + " failed: " + answer);
    }
    return jobId;
  }

  String jobState(String jobId) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri("/jobs/" + jobId)).GET()).path("state").asText();
  }

  /** The state of every task of the job, as the job's graph in the dashboard shows them. */
  List<String> taskStates(String jobId) throws IOException, InterruptedException {
    JsonNode vertices = send(HttpRequest.newBuilder(uri("/jobs/" + jobId)).GET()).path("vertices");
    return vertices.findValuesAsText("status");
  }

  /** The jobs of {@code GET /jobs/overview}, as id → state. */
  Map<String, String> jobsOverview() throws IOException, InterruptedException {
    JsonNode jobs = send(HttpRequest.newBuilder(uri("/jobs/overview")).GET()).path("jobs");
    Map<String, String> states = new java.util.TreeMap<>();
    jobs.forEach(job -> states.put(job.path("jid").asText(), job.path("state").asText()));
    return states;
  }

  /** The first lines of the job's latest failure in its exception history, if any. */
  String rootCause(String jobId) throws IOException, InterruptedException {
    JsonNode entries =
        send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/exceptions")).GET())
            .path("exceptionHistory")
            .path("entries");
    if (entries.isEmpty()) {
      return "no failure in its exception history";
    }
    String trace = entries.get(0).path("stacktrace").asText("");
    // The first line and every cause: the frames between them are Flink's failover machinery.
    List<String> lines = trace.lines().toList();
    List<String> causes = new java.util.ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (i == 0 || lines.get(i).startsWith("Caused by")) {
        causes.add(lines.get(i));
        if (i + 1 < lines.size()) {
          causes.add(lines.get(i + 1));
        }
      }
    }
    return "latest failure: " + String.join("\n", causes);
  }

  /** Failures in the job's exception history: each restart follows one, so 0 means none. */
  int failures(String jobId) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/exceptions")).GET())
        .path("exceptionHistory")
        .path("entries")
        .size();
  }

  /**
   * The names of the threads of every task manager ({@code GET /taskmanagers/<id>/thread-dump}, the
   * dashboard's "Thread Dump" tab).
   */
  List<String> taskManagerThreads() throws IOException, InterruptedException {
    List<String> names = new java.util.ArrayList<>();
    for (JsonNode tm :
        send(HttpRequest.newBuilder(uri("/taskmanagers")).GET()).path("taskmanagers")) {
      JsonNode dump =
          send(
              HttpRequest.newBuilder(
                      uri("/taskmanagers/" + tm.path("id").asText() + "/thread-dump"))
                  .GET());
      dump.path("threadInfos").forEach(t -> names.add(t.path("threadName").asText()));
    }
    return names;
  }

  /** {@code PATCH /jobs/<id>?mode=cancel}, the dashboard's "Cancel Job". */
  void cancel(String jobId) throws IOException, InterruptedException {
    send(
        HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }

  /**
   * {@code POST /jobs/<id>/stop}: stops the job with a canonical savepoint; with {@code drain}
   * after the end-of-time watermark has fired every window and timer. Returns the savepoint's
   * location once it is complete.
   */
  String stopWithSavepoint(String jobId, boolean drain, Duration timeout)
      throws IOException, InterruptedException {
    JsonNode trigger =
        send(
            HttpRequest.newBuilder(uri("/jobs/" + jobId + "/stop"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"drain\":" + drain + ",\"formatType\":\"CANONICAL\"}")));
    String request = trigger.path("request-id").asText();
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      JsonNode status =
          send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/savepoints/" + request)).GET());
      if ("COMPLETED".equals(status.path("status").path("id").asText())) {
        JsonNode operation = status.path("operation");
        if (operation.has("failure-cause")) {
          throw new AssertionError("stop with savepoint failed: " + operation);
        }
        return operation.path("location").asText();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("no savepoint of job " + jobId + " after " + timeout);
      }
      Thread.sleep(250);
    }
  }

  void deleteJar(String jarId) throws IOException, InterruptedException {
    send(HttpRequest.newBuilder(uri("/jars/" + jarId)).DELETE());
  }

  /** Polls until the job reaches {@code wanted}; fails at once if it ends in another state. */
  void awaitState(String jobId, String wanted, Duration timeout)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    String state = jobState(jobId);
    while (!state.equals(wanted)) {
      if (TERMINAL.contains(state)) {
        throw new AssertionError(
            "job " + jobId + " ended " + state + ", expected " + wanted + "; " + rootCause(jobId));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("job " + jobId + " is " + state + " after " + timeout);
      }
      Thread.sleep(250);
      state = jobState(jobId);
    }
  }

  /** Polls until every task of the job runs, as the dashboard's job graph shows it. */
  void awaitAllTasksRunning(String jobId, Duration timeout)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    List<String> states = taskStates(jobId);
    while (states.isEmpty() || !states.stream().allMatch("RUNNING"::equals)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("tasks of job " + jobId + " are " + states + " after " + timeout);
      }
      Thread.sleep(250);
      states = taskStates(jobId);
    }
  }

  private URI uri(String path) {
    return URI.create(baseUrl + path);
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new AssertionError(
          response.request().method()
              + " "
              + response.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    String body = response.body();
    return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
  }
}
