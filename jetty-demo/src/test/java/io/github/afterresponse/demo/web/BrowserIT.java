package io.github.afterresponse.demo.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.afterresponse.demo.BulkMailer;
import io.github.afterresponse.demo.DemoOptions;
import io.github.afterresponse.demo.campaign.CampaignService;
import io.github.afterresponse.demo.campaign.CampaignView;
import io.github.afterresponse.demo.mail.Outbox;
import io.github.afterresponse.demo.store.Audience;
import io.github.afterresponse.demo.store.CampaignState;
import io.github.afterresponse.demo.store.Customer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real browser, headless Chromium driven by Selenium: a newcomer picks a segment
 * and sees the count follow, previews the first customer's message, clicks Send and is on the
 * campaign's page within a second while it is still sending, watches the progress reach 100%
 * without reloading, sees the refused addresses with their reasons, and reads the mails in the
 * outbox. Screenshots of each step go to {@code target/screenshots}.
 */
class BrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Pattern CAMPAIGN_URL = Pattern.compile(".*/campaigns/(\\d+)$");

    @TempDir
    Path dataDir;
    @TempDir
    Path profile;
    @TempDir
    Path warmUpDir;

    private WebDriver driver;

    @Test
    void composeSendFollowTheProgressAndReadTheOutbox() throws Exception {
        requireChromium();
        warmUp();
        // 400 a second: the ~2,000 customers of a segment take five seconds or more, long enough to watch.
        try (BulkMailer mailer = BulkMailer.start(DemoOptions.parse(Map.of("port", "0", "smtp-port", "0",
                "data-dir", dataDir.toString(), "rate", "400")))) {
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            try {
                driver = new ChromeDriver(service, chromeOptions());
                run(mailer, "http://127.0.0.1:" + mailer.port());
            } finally {
                if (driver != null) {
                    driver.quit();
                }
                service.stop();
            }
        }
    }

    private void run(BulkMailer mailer, String base) throws IOException {
        CampaignService campaigns = mailer.campaigns();
        Files.createDirectories(SCREENSHOTS);

        // 1. The form, a segment picked: the count follows.
        driver.get(base + "/");
        assertThat(driver.getTitle()).isEqualTo("New campaign · Bulk mailer");
        assertThat(text("count")).isEqualTo(grouped(campaigns.customers().count()));
        String segment = "vip";
        long matching = campaigns.customers().count(new Audience(Optional.of(segment), Optional.empty(), List.of()));
        assertThat(matching).isBetween(1500L, 2500L);
        new Select(driver.findElement(By.id("segment"))).selectByValue(segment);
        waitFor(Duration.ofSeconds(10)).until(d -> text("count").equals(grouped(matching)));
        screenshot("01-compose");

        // 2. Preview: the first customer of the segment, personalised.
        Customer first = campaigns.customers().first(new Audience(Optional.of(segment), Optional.empty(), List.of())).orElseThrow();
        driver.findElement(By.id("preview")).click();
        waitFor(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("preview-panel")).isDisplayed()
                && text("preview-subject").equals("Spring sale in " + first.city()));
        assertThat(text("preview-to")).isEqualTo(first.name() + " <" + first.email() + ">");
        assertThat(text("preview-text")).startsWith("Dear " + first.name() + ",");
        assertThat(driver.findElement(By.id("preview-error")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("preview-html-part")).isDisplayed()).isTrue();
        driver.switchTo().frame(driver.findElement(By.id("preview-html")));
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Spring sale in " + first.city());
        driver.switchTo().defaultContent();
        screenshot("02-preview");

        // 3. Send: the campaign's page is there within a second, while the mails are still going out.
        // The browser notes when the click happened; the campaign's page says when its navigation
        // (the post, the 303 and the page) was done, on the same clock.
        JavascriptExecutor js = (JavascriptExecutor) driver;
        js.executeScript("document.getElementById('send').addEventListener('click', function () {"
                + " sessionStorage.setItem('clickedAt', String(performance.timeOrigin + performance.now())); })");
        long clicked = System.nanoTime();
        driver.findElement(By.id("send")).click();
        waitFor(Duration.ofSeconds(10)).until(d -> CAMPAIGN_URL.matcher(d.getCurrentUrl()).matches()
                && "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState"))
                && !d.findElements(By.id("progress")).isEmpty());
        long seenMillis = (System.nanoTime() - clicked) / 1_000_000;
        @SuppressWarnings("unchecked")
        Map<String, Number> navigation = (Map<String, Number>) js.executeScript("var n = performance.getEntriesByType('navigation')[0];"
                + " var clicked = Number(sessionStorage.getItem('clickedAt')) - performance.timeOrigin;"
                + " return {arrived: Math.round(n.responseEnd - clicked), loaded: Math.round(n.loadEventEnd - clicked),"
                + " post: Math.round(n.redirectEnd - n.redirectStart), page: Math.round(n.responseEnd - n.requestStart)};");
        long arrivedMillis = navigation.get("arrived").longValue();
        Matcher url = CAMPAIGN_URL.matcher(driver.getCurrentUrl());
        assertThat(url.matches()).isTrue();
        long id = Long.parseLong(url.group(1));
        CampaignView atArrival = campaigns.view(id).orElseThrow();
        String timing = String.format(Locale.ROOT, "the post and its 303 took %d ms, the page %d ms; loaded with its files"
                + " %d ms after the click; seen by the test after %d ms", navigation.get("post").longValue(),
                navigation.get("page").longValue(), navigation.get("loaded").longValue(), seenMillis);
        System.out.printf(Locale.ROOT, "BrowserIT: the campaign's page arrived %d ms after the click (%s), %d of %d sent then%n",
                arrivedMillis, timing, atArrival.sent(), atArrival.campaign().total());
        assertThat(arrivedMillis).as("from the click to the campaign's page, in ms (%s)", timing).isBetween(0L, 999L);
        assertThat(atArrival.campaign().state()).isIn(CampaignState.QUEUED, CampaignState.SENDING);
        assertThat(atArrival.pending()).isPositive();
        assertThat(text("state")).isIn("QUEUED", "SENDING");
        assertThat(atArrival.campaign().total()).isEqualTo((int) matching);
        js.executeScript("window.loadedOnce = true;"); // gone if the page is loaded again

        // 4. The figures move by themselves, in the same document: a screenshot on the way.
        waitFor(Duration.ofSeconds(60)).until(d -> "SENDING".equals(text("state")) && percent() >= 25 && percent() <= 75);
        assertThat(Integer.parseInt(text("sent"))).isPositive();
        assertThat(text("rate")).endsWith("msg/s");
        assertThat(driver.findElement(By.id("pause")).isDisplayed()).isTrue();
        assertThat(js.executeScript("return window.loadedOnce === true")).as("updated by the script, not reloaded").isEqualTo(true);
        screenshot("03-progress");
        String urlWhileSending = driver.getCurrentUrl();

        // 5. Done: 100%, and the page, loaded again by the script, lists the refused addresses.
        waitFor(Duration.ofSeconds(120)).until(d -> "COMPLETED".equals(text("state")) && percent() == 100
                && "table".equals(d.findElement(By.id("failures")).getTagName()));
        assertThat(driver.getCurrentUrl()).isEqualTo(urlWhileSending);
        CampaignView done = campaigns.view(id).orElseThrow();
        assertThat(done.campaign().state()).isEqualTo(CampaignState.COMPLETED);
        assertThat(text("sent")).isEqualTo(Integer.toString(done.sent()));
        assertThat(text("failed")).isEqualTo(Integer.toString(done.failed()));
        assertThat(text("pending")).isEqualTo("0");
        assertThat(done.failed()).as("the seeded bounce addresses of the segment").isPositive();
        List<WebElement> failures = driver.findElements(By.cssSelector("#failures tbody tr"));
        assertThat(failures).hasSize(Math.min(done.failed(), CampaignPage.FAILURES_PER_PAGE));
        for (WebElement row : failures) {
            assertThat(row.getText()).contains("@bounce.example.com", "550");
        }
        assertThat(driver.findElements(By.id("pause"))).isEmpty();
        screenshot("04-done");

        // 6. The outbox: the campaign's mails, newest first, and one of them.
        driver.findElement(By.id("nav-outbox")).click();
        waitFor(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/outbox") && !d.findElements(By.id("mails")).isEmpty());
        Outbox outbox = mailer.embeddedSmtp().orElseThrow().outbox();
        assertThat(outbox.size()).isEqualTo(done.sent());
        List<WebElement> rows = driver.findElements(By.cssSelector("#mails tbody tr"));
        assertThat(rows).hasSize(OutboxPages.PER_PAGE);
        List<Integer> numbers = new ArrayList<>();
        for (WebElement row : rows) {
            numbers.add(Integer.parseInt(row.findElement(By.cssSelector("td.num")).getText()));
            assertThat(row.getText()).contains("Spring sale in ");
        }
        assertThat(numbers.get(0)).isEqualTo(outbox.size());
        assertThat(numbers).isSortedAccordingTo((a, b) -> b - a);
        screenshot("05-outbox");

        Outbox.Mail newest = outbox.get(outbox.size()).orElseThrow();
        rows.get(0).findElement(By.cssSelector("td.subject-cell a")).click();
        waitFor(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/outbox/" + newest.number())
                && !d.findElements(By.id("mail-text")).isEmpty());
        assertThat(text("mail-subject")).isEqualTo(newest.subject());
        assertThat(text("mail-to")).contains(newest.to().replaceAll(".*<|>.*", ""));
        assertThat(text("mail-text")).startsWith("Dear ").contains("spring has come to");
        assertThat(text("mail-message-id")).startsWith("<campaign-" + id + ".customer-");
        screenshot("06-mail");

        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(severe).as("errors in the browser console (a Content-Security-Policy violation, a failed request)").isEmpty();
    }

    /**
     * Sends one small campaign through the form on a mailer of its own, so that the second the
     * test allows the real one is the server's and the browser's, not class loading and the first
     * compilations of this JVM (a fresh failsafe JVM takes longer than that for its first campaign).
     */
    private void warmUp() throws Exception {
        try (BulkMailer mailer = BulkMailer.start(DemoOptions.parse(Map.of("port", "0", "smtp-port", "0",
                "data-dir", warmUpDir.toString(), "customers", "50", "rate", "0")))) {
            FormClient client = new FormClient(mailer.port());
            String location = client.post("/campaigns", client.composeForm(Map.of())).headers().firstValue("Location").orElseThrow();
            long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
            client.get(location);
            await().atMost(Duration.ofSeconds(30)).until(() -> !mailer.campaigns().view(id).orElseThrow().active());
        }
    }

    private static void requireChromium() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (Debian package chromium)");
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            missing.add(CHROMEDRIVER + " (Debian package chromium-driver)");
        }
        if (!missing.isEmpty()) {
            String message = "BrowserIT needs " + String.join(" and ", missing) + "; .ci/run installs them";
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
    }

    private ChromeOptions chromeOptions() {
        // Selenium Manager would look for (and try to download) a browser and a driver: both are given.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return options;
    }

    private WebDriverWait waitFor(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(25));
        // The campaign's page loads itself again when the campaign stops.
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /**
     * The element's text, or "" while the page is being replaced: the campaign's page loads itself
     * again when the campaign stops, and an element found just before that is gone. ChromeDriver
     * then throws either a StaleElementReferenceException or a plain WebDriverException, "Node with
     * given id does not belong to the document" (Chromium 150).
     */
    private String text(String id) {
        try {
            return driver.findElement(By.id(id)).getText();
        } catch (org.openqa.selenium.WebDriverException e) {
            if (e instanceof StaleElementReferenceException
                    || String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return "";
            }
            throw e;
        }
    }

    private int percent() {
        String percent = text("percent").replace("%", "");
        return percent.isEmpty() ? -1 : Integer.parseInt(percent);
    }

    private static String grouped(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    private void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
