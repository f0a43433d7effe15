package com.idynic.eventbus.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Debian's chromedriver: never a downloaded browser or driver. Without them the
 * browser tests are skipped with a message saying how to enable them, except in CI ({@code CI=true}), where
 * they fail.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final WebDriver driver;
    private final WebDriverWait wait;

    private Browser(WebDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    /** @return a browser, or the test is skipped (failed in CI) when chromium or chromedriver is missing */
    static Browser open() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String how = "the console's browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + ": install them with 'apt-get install -y chromium chromium-driver' (as root)";
        if (!present) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true and " + how);
            }
            System.err.println("SKIPPED: " + how);
            assumeTrue(false, "SKIPPED: " + how);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1440,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        WebDriver d = new ChromeDriver(service, options);
        d.manage().window().setSize(new Dimension(1440, 1000));
        return new Browser(d);
    }

    void go(String path) {
        driver.get(Stack.baseUrl() + path);
    }

    WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    /** Waits until the page's text contains the text. */
    void awaitText(String text) {
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(By.tagName("body")).getText().contains(text));
    }

    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Signs in with the key and waits for the overview. */
    void signIn(String key) {
        go("/admin/sign-in.xhtml");
        type("input[id='signIn:apiKey']", key);
        click("button[id='signIn:submit']");
    }

    /** Clicks the "Yes" of the open confirmation dialog. */
    void confirm() {
        click("button[id$=':confirmYes']");
    }

    /** Saves a screenshot of the whole page (not only the window) as {@code target/screenshots/NAME.png}. */
    void screenshot(String name) {
        Path dir = Path.of(System.getProperty("it.screenshots", "target/screenshots"));
        Dimension window = driver.manage().window().getSize();
        try {
            Files.createDirectories(dir);
            // transitions end at once (a checkbox caught half-way through its colour change looks unchecked)
            long page = (Long) ((JavascriptExecutor) driver)
                    .executeScript("var s = document.createElement('style');"
                            + " s.textContent = '*, *::before, *::after { transition: none !important;"
                            + " animation: none !important; }';"
                            + " document.head.appendChild(s);"
                            + " return Math.ceil(document.documentElement.scrollHeight"
                            + " + window.outerHeight - window.innerHeight)");
            driver.manage().window().setSize(new Dimension(window.getWidth(), (int)
                    Math.max(window.getHeight(), page)));
            Path png =
                    ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(png, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
