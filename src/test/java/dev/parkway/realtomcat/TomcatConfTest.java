package dev.parkway.realtomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parkway.config.Config;
import dev.parkway.config.ConfigSource;
import dev.parkway.testing.EmbeddedParkway;
import dev.parkway.transport.http.Mount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/**
 * The files of {@code tomcat-conf/} agree with the code: server.xml's connector with the one the tests and
 * the benchmark run ({@link EmbeddedParkway#CONNECTOR}), parkway.xml with every setting Parkway reads and
 * its default, setenv.sh with its sizing rule. (RealTomcatIT runs them on a real Tomcat.)
 */
class TomcatConfTest {
  private static final Path CONF = Path.of("tomcat-conf");
  /** {@code ${name:-default}}, Tomcat's placeholder with a default. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^:}]+):-([^}]*)}");
  /** A setting shown in parkway.xml, commented out or not. */
  private static final Pattern PARAMETER = Pattern.compile("<Parameter name=\"([^\"]+)\" value=\"([^\"]*)\"");

  @Test
  void serverXmlSetsTheConnectorTheTestsRun() throws Exception {
    Element connector =
        (Element) DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(CONF.resolve("server.xml").toFile())
            .getElementsByTagName("Connector")
            .item(0);
    for (Map.Entry<String, String> attribute : EmbeddedParkway.CONNECTOR.entrySet()) {
      String name = attribute.getKey();
      if (name.equals("maxConnections") || name.equals("processorCache")) {
        continue; // bounded by the heap in server.xml, not in the benchmark (EmbeddedParkway's javadoc)
      }
      assertThat(resolved(connector.getAttribute(name))).as(name).isEqualTo(attribute.getValue());
    }
    assertThat(connector.getAttribute("protocol")).isEqualTo("org.apache.coyote.http11.Http11NioProtocol");
    assertThat(resolved(connector.getAttribute("processorCache")))
        .isEqualTo(resolved(connector.getAttribute("maxConnections")));
  }

  @Test
  void serverXmlPlaceholdersAreParkwayPropertiesWithDefaults() throws Exception {
    NodeList elements =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(CONF.resolve("server.xml").toFile())
            .getElementsByTagName("*");
    int placeholders = 0;
    for (int i = 0; i < elements.getLength(); i++) {
      NamedNodeMap attributes = elements.item(i).getAttributes();
      for (int j = 0; j < attributes.getLength(); j++) {
        String value = attributes.item(j).getNodeValue();
        if (value.contains("${")) {
          assertThat(value).as(attributes.item(j).getNodeName()).matches(PLACEHOLDER).startsWith("${parkway.");
          placeholders++;
        }
      }
    }
    assertThat(placeholders).isGreaterThan(5);
  }

  @Test
  void parkwayXmlShowsEverySettingWithItsDefault() throws IOException {
    Map<String, String> defaults = new LinkedHashMap<>(Config.load(ConfigSource.of(Map.of())).effective());
    defaults.put(Mount.PREFIX, "");
    Map<String, String> shown = new LinkedHashMap<>();
    Matcher m = PARAMETER.matcher(Files.readString(CONF.resolve("parkway.xml")));
    while (m.find()) {
      shown.put(m.group(1), m.group(2));
    }

    assertThat(shown.keySet()).as("settings parkway.xml shows").containsExactlyInAnyOrderElementsOf(defaults.keySet());
    defaults.remove(Config.DELIVERY_THREADS); // the number of cores; parkway.xml shows 2
    defaults.remove(Config.MEMORY_MAX_BYTES); // a quarter of the heap; parkway.xml shows it for -Xmx1g
    defaults.remove(Config.DIRECT_THREADS); // the number of cores; parkway.xml shows 2
    defaults.forEach((name, value) -> assertThat(shown.get(name)).as(name).isEqualTo(value));
  }

  @Test
  void setenvShDerivesMaxConnectionsFromTheHeap() throws Exception {
    assertThat(setenv("1g", "")).contains("-Xms1g", "-Xmx1g", "-Dparkway.tomcat.maxConnections=9830");
    assertThat(setenv("768m", "")).contains("-Xmx768m", "-Dparkway.tomcat.maxConnections=6553");
  }

  @Test
  void setenvShLowersMaxConnectionsToTheOpenFilesHardLimit() throws Exception {
    // 1g wants 9,830 connections + 1,024 files; a hard limit of 4,096 leaves 3,072 connections.
    assertThat(setenv("1g", "ulimit -n 4096 && ulimit -H -n 4096 && "))
        .contains("maxConnections lowered from 9830 to 3072")
        .contains("-Dparkway.tomcat.maxConnections=3072");
  }

  @Test
  void setenvShRefusesAHeapTooSmallOrMalformed() throws Exception {
    assertThat(setenv("256m", "")).contains("too small").doesNotContain("-Xmx");
    assertThat(setenv("lots", "")).contains("must be like").doesNotContain("-Xmx");
  }

  /**
   * What setenv.sh, sourced by POSIX sh as catalina.sh does (after the shell commands {@code before}),
   * leaves in CATALINA_OPTS for {@code PARKWAY_HEAP=heap}, after what it said on stderr.
   */
  private static String setenv(String heap, String before) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                "sh", "-c", before + ". \"$0\" && printf '%s' \"$CATALINA_OPTS\"", CONF.resolve("setenv.sh").toString())
            .redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("PARKWAY_") || k.startsWith("CATALINA_"));
    builder.environment().put("PARKWAY_HEAP", heap);
    builder.environment().put("CATALINA_BASE", "/nonexistent");
    Process sh = builder.start();
    sh.getOutputStream().close();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  private static String resolved(String value) {
    Matcher m = PLACEHOLDER.matcher(value);
    return m.matches() ? m.group(2) : value;
  }

}
