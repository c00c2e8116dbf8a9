package dev.parkway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 requests to one server that is not an {@link EmbeddedParkway} (a real Tomcat, a host
 * application carrying Parkway as a library), each bounded by {@link ParkwayHttpSupport#PATIENCE} and
 * carrying the given header pairs. Thread-safe as {@link HttpClient} is.
 */
public final class PlainHttp {
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(ParkwayHttpSupport.PATIENCE)
          .build();
  private final String baseUri;
  private final String[] headers;

  /** Requests to {@code baseUri} ({@code http://127.0.0.1:port}), each with {@code headers} (name, value, ...). */
  public PlainHttp(String baseUri, String... headers) {
    this.baseUri = baseUri;
    this.headers = headers.clone();
  }

  /** A request to {@code pathAndQuery} (starting with '/') with this client's headers. */
  public HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUri + pathAndQuery)).timeout(ParkwayHttpSupport.PATIENCE);
    return headers.length == 0 ? builder : builder.headers(headers);
  }

  /** A request to {@code pathAndQuery} without this client's headers. */
  public HttpRequest.Builder bare(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(baseUri + pathAndQuery)).timeout(ParkwayHttpSupport.PATIENCE);
  }

  public HttpResponse<String> get(String pathAndQuery) {
    return send(request(pathAndQuery).GET().build());
  }

  /** A GET answered later (a poll that parks). */
  public CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
    return http.sendAsync(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A POST of {@code json} with {@code Content-Type: application/json}. */
  public HttpResponse<String> postJson(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

}
