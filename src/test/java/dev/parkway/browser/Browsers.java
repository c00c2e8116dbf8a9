package dev.parkway.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Starts headless Chromium browsers for the browser tests, from the system's own {@code chromium} and
 * {@code chromedriver} and nothing else: with both paths given, Selenium Manager never runs, so nothing
 * is downloaded and no network is used beyond 127.0.0.1. Each browser gets a fresh profile directory
 * (so its localStorage, Web Locks and BroadcastChannels are its own).
 *
 * <p>Where Chromium or its driver is missing, {@link #assumeInstalled()} skips the calling tests with a
 * message saying what to install. Not thread-safe: one instance per test class, closed in
 * {@code @AfterEach}/{@code @AfterAll}, which quits every browser it started even if a test failed.
 */
final class Browsers implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final List<ChromeDriver> drivers = new ArrayList<>();
  private final List<ChromeDriverService> services = new ArrayList<>();
  private final List<Path> profiles = new ArrayList<>();

  static {
    // No usage statistics from Selenium Manager (which must not run at all; this is a second guard).
    System.setProperty("SE_AVOID_STATS", "true");
    // Selenium logs every CDP version mismatch and connection at INFO; keep green runs quiet.
    Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
  }

  /** Skips the calling test (never passes it) when the browser or its driver is not installed. */
  static void assumeInstalled() {
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "Chromium not installed (" + CHROMIUM + " missing): install chromium chromium-driver to run the browser tests");
    assumeTrue(
        Files.isExecutable(CHROMEDRIVER),
        "chromedriver not installed (" + CHROMEDRIVER
            + " missing): install chromium chromium-driver to run the browser tests");
  }

  /** A new browser (its own process and profile). */
  ChromeDriver open() {
    assumeInstalled();
    Path profile;
    try {
      profile = Files.createTempDirectory("parkway-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    profiles.add(profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogOutput(java.io.OutputStream.nullOutputStream())
            .build();
    services.add(service);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        // Chromium still looks up update.googleapis.com, accounts.google.com, content-autofill.googleapis.com,
        // clients2.google.com and its default search engine (seen with strace): resolve no name at all.
        // The tests only use 127.0.0.1, excluded (a bare MAP * would refuse even that literal).
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--disable-extensions",
        "--disable-default-apps",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--no-pings",
        "--no-default-browser-check",
        "--metrics-recording-only",
        "--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter",
        // A leader tab in the background must keep polling at full speed.
        "--disable-background-timer-throttling",
        "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows",
        "--user-data-dir=" + profile);
    ChromeDriver driver = new ChromeDriver(service, options);
    drivers.add(driver);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return driver;
  }

  /** Quits every browser and driver started here, whatever state they are in. */
  @Override
  public void close() {
    for (ChromeDriver driver : drivers) {
      try {
        driver.quit();
      } catch (RuntimeException e) {
        // already gone; the service is stopped below anyway
      }
    }
    drivers.clear();
    for (ChromeDriverService service : services) {
      try {
        service.stop();
      } catch (RuntimeException e) {
        // already stopped
      }
    }
    services.clear();
    for (Path profile : profiles) {
      deleteQuietly(profile);
    }
    profiles.clear();
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException | UncheckedIOException e) {
      // a profile left in /tmp is harmless
    }
  }
}
