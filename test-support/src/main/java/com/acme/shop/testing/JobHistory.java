package com.acme.shop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.rest.RestClusterClient;

/** What a cluster's REST API tells about a job after the fact. */
public final class JobHistory {
  private JobHistory() {}

  /**
   * The failures in the job's exception history. Every restart follows a failure recorded there, so
   * zero failures means the job never restarted; unlike the {@code numRestarts} metric it is still
   * there after the job finished.
   */
  public static int failures(RestClusterClient<?> client, JobID job) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(client.getWebInterfaceURL() + "/jobs/" + job + "/exceptions"))
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET /jobs/" + job + "/exceptions: " + response.statusCode() + " " + response.body());
    }
    JsonNode history = new ObjectMapper().readTree(response.body()).path("exceptionHistory");
    return history.path("entries").size();
  }
}
