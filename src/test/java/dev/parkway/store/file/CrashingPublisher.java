package dev.parkway.store.file;

import dev.parkway.testing.EmbeddedParkway;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process {@link JournalKillTest} kills: Parkway on embedded Tomcat with the file store (fsync=always)
 * in the directory given, publishing to itself over HTTP as fast as {@link #CHANNELS} threads can, and
 * printing each acknowledged publish on stdout as it gets the 201:
 *
 * <pre>
 *   EPOCH &lt;epoch&gt;
 *   CURSOR &lt;cursor after the first event of every channel&gt;
 *   ACK &lt;channel&gt; &lt;seq&gt; &lt;data&gt;
 * </pre>
 *
 * It stops by itself after {@link #MAX_SECONDS} or {@link #MAX_EACH} publishes per thread, in case no one
 * kills it. Each line is one {@code println} on an autoflushing stream, so a line on stdout means the 201
 * came first.
 */
public final class CrashingPublisher {
  static final int CHANNELS = 4;
  static final int MAX_EACH = 200_000;
  static final int MAX_SECONDS = 120;
  private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
  private static final Pattern CURSOR = Pattern.compile("\"cursor\":\"([^\"]+)\"");

  private CrashingPublisher() {}

  static Map<String, String> settings(String dir) {
    return EmbeddedParkway.settings(
        "parkway.store", "file",
        "parkway.file.dir", dir,
        "parkway.file.fsync", "always",
        "parkway.channel.retention.count", "1000000",
        "parkway.channel.retention.age", "0",
        "parkway.poll.limit.max", "100000",
        "parkway.poll.answer.max-bytes", "67108864",
        "parkway.compat", "none");
  }

  static String channel(int i) {
    return "kill." + i;
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    EmbeddedParkway server = EmbeddedParkway.start(settings(args[0]));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = server.baseUri();
    out.println("EPOCH " + server.broker().epoch());
    StringBuilder poll = new StringBuilder(base + "/poll?timeout=0&after=0");
    for (int t = 0; t < CHANNELS; t++) {
      publish(http, base, t, 0, out);
      poll.append("&channel=").append(channel(t));
    }
    String answer = http.send(HttpRequest.newBuilder(URI.create(poll.toString())).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher cursor = CURSOR.matcher(answer);
    if (!cursor.find()) {
      throw new IllegalStateException("no cursor in " + answer);
    }
    out.println("CURSOR " + cursor.group(1));
    long deadline = System.nanoTime() + Duration.ofSeconds(MAX_SECONDS).toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < CHANNELS; t++) {
      int thread = t;
      Thread w = new Thread(() -> {
        try {
          for (int i = 1; i < MAX_EACH && System.nanoTime() < deadline; i++) {
            publish(http, base, thread, i, out);
          }
        } catch (Exception e) {
          e.printStackTrace();
        }
      });
      w.start();
      threads.add(w);
    }
    for (Thread w : threads) {
      w.join();
    }
    server.close();
  }

  private static void publish(HttpClient http, String base, int thread, int i, PrintStream out) throws Exception {
    String data = "{\"t\":" + thread + ",\"i\":" + i + "}";
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/channels/" + channel(thread)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(data))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("publish answered " + response.statusCode() + ": " + response.body());
    }
    Matcher seq = SEQ.matcher(response.body());
    if (!seq.find()) {
      throw new IllegalStateException("no seq in " + response.body());
    }
    out.println("ACK " + channel(thread) + " " + seq.group(1) + " " + data);
  }
}
