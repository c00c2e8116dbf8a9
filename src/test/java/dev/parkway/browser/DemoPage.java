package dev.parkway.browser;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The demo page ({@code webapp/index.html}) as the tests see it, through its {@code data-testid}
 * attributes. Reads go through one script each, so a list re-rendered between two reads never yields a
 * stale element. Bound to one driver; the caller switches that driver to the right tab first.
 */
final class DemoPage {
  private final WebDriver driver;

  DemoPage(WebDriver driver) {
    this.driver = driver;
  }

  static DemoPage open(WebDriver driver, String baseUri) {
    driver.get(baseUri + "/");
    return new DemoPage(driver);
  }

  /** The chat as shown, oldest first: "name: text" per {@code li.message}. */
  @SuppressWarnings("unchecked")
  List<String> messages() {
    return (List<String>) script(
        "return [...document.querySelectorAll('[data-testid=messages] li.message')]"
            + ".map(li => li.querySelector('.who').textContent + ': ' + li.querySelector('.text').textContent);");
  }

  /** The chat's notices (gaps, errors), oldest first. */
  @SuppressWarnings("unchecked")
  List<String> notices() {
    return (List<String>) script(
        "return [...document.querySelectorAll('[data-testid=messages] li.notice')].map(li => li.textContent);");
  }

  /** Whether the chat history has been read and found empty ("No messages yet"). */
  boolean showsEmptyHistory() {
    return Boolean.TRUE.equals(script("return document.querySelector('[data-testid=messages] li.empty') !== null;"));
  }

  /** The chat subscription's status indicator: role, transport and state, e.g. "leader/poll/open". */
  String status() {
    return (String) script(
        "const s = document.querySelector('[data-testid=status]');"
            + "return s.dataset.role + '/' + s.dataset.transport + '/' + s.dataset.state;");
  }

  /** The texts of the live log's event lines, oldest first. */
  @SuppressWarnings("unchecked")
  List<String> logEvents() {
    return (List<String>) script(
        "return [...document.querySelectorAll('[data-testid=log-list] li[data-kind=event]')]"
            + ".map(li => li.textContent).reverse();");
  }

  void say(String name, String text) {
    WebElement nameInput = byTestId("name-input");
    nameInput.clear();
    nameInput.sendKeys(name);
    WebElement messageInput = byTestId("message-input");
    messageInput.clear();
    messageInput.sendKeys(text);
    byTestId("send-button").click();
  }

  private WebElement byTestId(String id) {
    return driver.findElement(By.cssSelector("[data-testid='" + id + "']"));
  }

  private Object script(String js) {
    return ((JavascriptExecutor) driver).executeScript(js);
  }
}
