package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as people start it, {@code java -jar after-response-jetty-demo.jar}: its command
 * line, and that a campaign loses no recipient and sends none twice when the process is stopped
 * (SIGTERM) or killed (SIGKILL) in the middle and started again on the same data directory.
 *
 * <p>The mail goes to an SMTP server this test owns ({@link ReceivingSmtp}), so what was received
 * is still there after the mailer's restarts and can be counted per address. That server refuses
 * nothing: every recipient must end SENT.
 */
class BulkMailerJarIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final int CONNECTIONS = 4;
    /** Enough to be well into a campaign of about 2,000, far from its end. */
    private static final int RECEIVED_BEFORE_STOP = 300;
    /** How Jetty's logger marks a warning or an error: {@code :WARN :}, {@code :ERROR:}. */
    private static final Pattern WARNING_OR_ERROR = Pattern.compile(":(WARN|ERROR) ?:");
    private static final Pattern STOPPED = Pattern.compile("After Response filter 'afterResponse' stopped; (\\d+) exchanges");

    @TempDir
    Path dataDir;

    private ReceivingSmtp smtp;

    @BeforeEach
    void startSmtp() {
        smtp = ReceivingSmtp.start();
    }

    @AfterEach
    void stopSmtp() {
        smtp.close();
    }

    @Test
    void helpListsEveryOptionAndExitsZero() throws Exception {
        List<String> names = optionNames();
        assertThat(names).as("the option names read from DemoOptions").contains("port", "data-dir", "rate", "shutdown-grace")
                .hasSizeGreaterThan(20);
        try (MailerProcess help = MailerProcess.start("help", "--help")) {
            assertThat(help.awaitExitCode(Duration.ofSeconds(30))).as("exit code of --help").isZero();
            for (String name : names) {
                assertThat(help.output()).as("--help lists --" + name).contains("--" + name + "=");
            }
            assertThat(help.line(Pattern.compile("Bulk mailer: http"))).as("--help starts no server").isEmpty();
        }
    }

    @Test
    void badOptionValueExitsTwoNamingTheOptionAndTheValue() throws Exception {
        try (MailerProcess bad = MailerProcess.start("bad-value", "--data-dir=" + dataDir, "--rate=fast")) {
            assertThat(bad.awaitExitCode(Duration.ofSeconds(30))).as("exit code for --rate=fast").isEqualTo(2);
            assertThat(bad.output()).contains("--rate must be").contains("but was 'fast'");
            assertThat(bad.line(Pattern.compile("Bulk mailer: http"))).isEmpty();
        }
    }

    @Test
    void unknownOptionExitsTwo() throws Exception {
        try (MailerProcess unknown = MailerProcess.start("unknown", "--data-dir=" + dataDir, "--no-such-option=1")) {
            assertThat(unknown.awaitExitCode(Duration.ofSeconds(30))).as("exit code for an unknown option").isEqualTo(2);
            assertThat(unknown.output()).contains("unknown option '--no-such-option=1'");
            assertThat(unknown.line(Pattern.compile("Bulk mailer: http"))).isEmpty();
        }
    }

    /**
     * SIGTERM while one campaign sends and a second waits behind it for the only sending slot: the
     * process exits promptly, having stored every accepted message as sent; started again, it
     * resumes both, and every recipient has received exactly one message. Status requests answer
     * 200 meanwhile, and a campaign created after the restart gets a greater id.
     */
    @Test
    void sigtermMidCampaignThenRestartSendsEachRecipientExactlyOnce() throws Exception {
        String[] options = options("--max-running=1");
        long sending;
        long queued;
        try (MailerProcess mailer = MailerProcess.start("mailer-1", options)) {
            MailerApiClient api = MailerApiClient.open(mailer.awaitUrl(START));
            sending = id(api.createCampaign(campaign("Spring news for {firstName}", "vip", null)));
            queued = id(api.createCampaign(campaign("News from {city}", "retail", "Oslo")));
            int total = api.campaign(sending).path("total").asInt();
            assertThat(total).as("recipients of the vip segment").isBetween(1500, 2500);

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> smtp.count(sending) >= RECEIVED_BEFORE_STOP);
            // Status requests pass the toolkit's filter by, and answer while the slot is taken.
            assertThat(api.campaign(sending).path("state").asText()).isEqualTo("SENDING");
            JsonNode waiting = api.campaign(queued);
            assertThat(waiting.path("state").asText()).isEqualTo("QUEUED");
            assertThat(waiting.path("active").asBoolean()).as("the queued campaign has an exchange").isTrue();
            assertThat(api.get("/api/campaigns").status()).isEqualTo(200);
            assertThat(api.get("/api/campaigns/" + sending + "/recipients?status=pending").status()).isEqualTo(200);
            long receivedAtStop = smtp.count(sending);
            assertThat(receivedAtStop).as("the stop falls in the middle of the campaign").isLessThan(total / 2);

            Duration exit = mailer.terminate(GRACE.plusSeconds(15));
            System.out.printf("SIGTERM: the mailer exited %d ms after the signal (grace %s), %d of %d received at the signal%n",
                    exit.toMillis(), GRACE, receivedAtStop, total);
            assertThat(exit).as("exit after SIGTERM, well within the grace").isLessThan(GRACE.dividedBy(2));
            assertThat(mailer.exitValue()).as("the JVM's exit code after SIGTERM").isEqualTo(143);

            Matcher interrupted = mailer.line(Pattern.compile("campaign " + sending
                    + ": INTERRUPTED \\(the server stopped[^)]*\\); (\\d+) sent, (\\d+) failed, (\\d+) pending")).orElseThrow(
                    () -> new AssertionError("no INTERRUPTED line for campaign " + sending + " in:\n" + mailer.output()));
            assertThat(Integer.parseInt(interrupted.group(3))).as("recipients left pending").isPositive();
            assertThat(Integer.parseInt(interrupted.group(1)))
                    .as("stored as sent at the stop = received: nothing accepted and left PENDING")
                    .isEqualTo(smtp.count(sending));
            assertThat(mailer.line(Pattern.compile("campaign " + queued + ": QUEUED \\(waiting for a sending slot")))
                    .as("the waiting campaign stays queued:\n" + mailer.output()).isPresent();
            assertThat(mailer.line(STOPPED)).as("the toolkit's last line:\n" + mailer.output()).isPresent();
        }
        assertThat(smtp.count(queued)).as("the queued campaign sent nothing yet").isZero();

        try (MailerProcess mailer = MailerProcess.start("mailer-2", options)) {
            long start = System.nanoTime();
            MailerApiClient api = MailerApiClient.open(mailer.awaitUrl(START));
            long url = System.nanoTime();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api.campaign(sending).path("state").asText().equals("SENDING"));
            long resumed = System.nanoTime();
            assertThat(api.campaign(queued).path("state").asText()).as("behind the resumed one").isEqualTo("QUEUED");
            long later = id(api.createCampaign(campaign("After the restart", "inactive", "Zurich")));
            assertThat(later).as("an id made after the restart").isGreaterThan(Math.max(sending, queued));

            awaitCompleted(mailer, api, sending, Duration.ofSeconds(120));
            long completed = System.nanoTime();
            awaitCompleted(mailer, api, queued, Duration.ofSeconds(30));
            awaitCompleted(mailer, api, later, Duration.ofSeconds(30));
            System.out.printf("SIGTERM restart: URL after %d ms, campaign %d sending again after %d ms, completed after %d ms%n",
                    (url - start) / 1_000_000, sending, (resumed - start) / 1_000_000, (completed - start) / 1_000_000);

            assertThat(sentMessageIds(api, sending, api.campaign(sending).path("total").asInt()).keySet())
                    .as("--smtp-reject applies to the embedded server only: this one takes the bounce addresses too")
                    .anyMatch(address -> address.endsWith("@bounce.example.com"));
            int expected = 0;
            for (long id : List.of(sending, queued, later)) {
                expected += assertEachRecipientReceivedExactlyOnce(api, id);
            }
            assertThat(smtp.count()).as("nothing received beyond the campaigns' recipients").isEqualTo(expected);
            mailer.terminate(GRACE.plusSeconds(15));
        }
    }

    /**
     * SIGKILL in the middle of a campaign: nothing is stored on the way out. Started again, the
     * campaign completes; every recipient received it at least once, and at most one message per
     * SMTP connection (accepted by the server, not yet stored as sent) was sent twice, with the
     * same Message-ID. A campaign created after the restart gets a greater id.
     */
    @Test
    void sigkillMidCampaignThenRestartLosesNoneAndRepeatsAtMostOnePerConnection() throws Exception {
        String[] options = options();
        long killed;
        int total;
        try (MailerProcess mailer = MailerProcess.start("mailer-1", options)) {
            MailerApiClient api = MailerApiClient.open(mailer.awaitUrl(START));
            killed = id(api.createCampaign(campaign("Wholesale prices for {name}", "wholesale", null)));
            total = api.campaign(killed).path("total").asInt();
            assertThat(total).as("recipients of the wholesale segment").isBetween(1500, 2500);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> smtp.count(killed) >= RECEIVED_BEFORE_STOP);
            long receivedAtKill = smtp.count(killed);
            assertThat(receivedAtKill).as("the kill falls in the middle of the campaign").isLessThan(total / 2);
            Duration exit = mailer.kill(Duration.ofSeconds(15));
            assertThat(mailer.exitValue()).as("the JVM's exit code after SIGKILL").isEqualTo(137);
            assertThat(mailer.line(STOPPED)).as("a killed process says nothing more").isEmpty();
            System.out.printf("SIGKILL: exited %d ms after the signal, %d of %d received at the signal%n",
                    exit.toMillis(), receivedAtKill, total);
        }

        try (MailerProcess mailer = MailerProcess.start("mailer-2", options)) {
            long start = System.nanoTime();
            MailerApiClient api = MailerApiClient.open(mailer.awaitUrl(START));
            long later = id(api.createCampaign(campaign("After the crash", "inactive", "Zurich")));
            assertThat(later).as("an id made after the restart").isGreaterThan(killed);
            // The killed campaign is INTERRUPTED from start-up until the recovery's own POST
            // /resume has made it QUEUED; the server answers the test meanwhile.
            Pattern resumed = Pattern.compile("campaign " + killed + ": (not )?resumed after the restart");
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> mailer.line(resumed).isPresent());
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the recovery did not resume campaign " + killed + " within 30 s:\n"
                        + mailer.output(), e);
            }
            awaitCompleted(mailer, api, killed, Duration.ofSeconds(120));
            long completed = System.nanoTime();
            awaitCompleted(mailer, api, later, Duration.ofSeconds(30));
            assertThat(mailer.line(Pattern.compile("campaign " + killed + " was sending when the last process ended")))
                    .as("recovery says the killed campaign may repeat messages:\n" + mailer.output()).isPresent();

            Map<String, String> messageIds = sentMessageIds(api, killed, total);
            Map<String, List<String>> received = smtp.received().stream().filter(r -> r.campaignId() == killed)
                    .collect(Collectors.groupingBy(ReceivingSmtp.Received::to, TreeMap::new,
                            Collectors.mapping(ReceivingSmtp.Received::messageId, Collectors.toList())));
            assertThat(received.keySet()).as("every recipient received it, and no one else")
                    .containsExactlyInAnyOrderElementsOf(messageIds.keySet());
            Map<String, List<String>> twice = new LinkedHashMap<>();
            received.forEach((address, ids) -> {
                assertThat(ids).as("copies received by " + address).hasSizeBetween(1, 2)
                        .as("the Message-ID of every copy to " + address).containsOnly(messageIds.get(address));
                if (ids.size() == 2) {
                    twice.put(address, ids);
                }
            });
            System.out.printf("SIGKILL restart: campaign %d completed %d ms after the start; %d of %d addresses received"
                    + " it twice %s%n", killed, (completed - start) / 1_000_000, twice.size(), total, twice.keySet());
            assertThat(twice.size()).as("addresses received twice: at most one per SMTP connection " + twice)
                    .isLessThanOrEqualTo(CONNECTIONS);
            assertEachRecipientReceivedExactlyOnce(api, later);
            mailer.terminate(GRACE.plusSeconds(15));
        }
    }

    private String[] options(String... more) {
        List<String> options = new ArrayList<>(List.of("--port=0", "--data-dir=" + dataDir, "--smtp-host=127.0.0.1",
                "--smtp-port=" + smtp.port(), "--rate=300", "--smtp-connections=" + CONNECTIONS,
                "--shutdown-grace=" + GRACE.toSeconds() + "s"));
        options.addAll(List.of(more));
        return options.toArray(String[]::new);
    }

    private static Map<String, Object> campaign(String subject, String segment, String city) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("subject", subject);
        request.put("text", "Dear {name},\n\nthis is for {email} in {city}.\n");
        request.put("segment", segment);
        Optional.ofNullable(city).ifPresent(c -> request.put("city", c));
        return request;
    }

    private static long id(JsonNode campaign) {
        return campaign.path("id").asLong();
    }

    /**
     * Waits for the campaign to be COMPLETED, failing at once on a state it cannot leave by itself.
     * If it waits in vain, the failure says what the campaign last looked like, the mailer's
     * warnings, and where each of the mailer's threads was.
     */
    private static void awaitCompleted(MailerProcess mailer, MailerApiClient api, long id, Duration atMost) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(200)).alias("campaign " + id + " COMPLETED")
                    .until(() -> {
                        JsonNode campaign = api.campaign(id);
                        last.set(campaign);
                        String state = campaign.path("state").asText();
                        assertThat(state).as("campaign " + id + ": " + campaign).isIn("QUEUED", "SENDING", "COMPLETED");
                        return state.equals("COMPLETED");
                    });
        } catch (ConditionTimeoutException | AssertionError e) {
            // Either it waited in vain, or it reached a state it cannot leave by itself.
            String warnings = mailer.lines().stream().filter(line -> WARNING_OR_ERROR.matcher(line).find())
                    .collect(Collectors.joining("\n"));
            throw new AssertionError("campaign " + id + " was not COMPLETED within " + atMost + " (" + e.getMessage()
                    + "); last seen: " + last.get() + "\nthe mailer's warnings:\n" + warnings + "\nits threads:\n"
                    + mailer.threadDump(), e);
        }
    }

    /**
     * Every recipient of the campaign is SENT and received exactly one message of it, and no
     * other address received one; returns the number of recipients.
     */
    private int assertEachRecipientReceivedExactlyOnce(MailerApiClient api, long id) throws Exception {
        JsonNode campaign = api.campaign(id);
        int total = campaign.path("total").asInt();
        Map<String, String> messageIds = sentMessageIds(api, id, total);
        Map<String, Long> received = smtp.received().stream().filter(r -> r.campaignId() == id)
                .collect(Collectors.groupingBy(ReceivingSmtp.Received::to, TreeMap::new, Collectors.counting()));
        Map<String, Long> once = messageIds.keySet().stream()
                .collect(Collectors.toMap(Function.identity(), address -> 1L, (a, b) -> a, TreeMap::new));
        assertThat(received).as("messages of campaign " + id + " received per address").isEqualTo(once);
        assertThat(smtp.count(id)).as("messages of campaign " + id + " received").isEqualTo(total);
        assertThat(campaign.path("sent").asInt()).as("sent of campaign " + id).isEqualTo(total);
        assertThat(campaign.path("failed").asInt()).as("failed of campaign " + id).isZero();
        return total;
    }

    /** The recipients' addresses and stored Message-IDs; asserts each is SENT. */
    private static Map<String, String> sentMessageIds(MailerApiClient api, long id, int total) throws Exception {
        List<JsonNode> recipients = api.recipients(id);
        assertThat(recipients).as("recipients of campaign " + id).hasSize(total);
        Map<String, String> messageIds = new TreeMap<>();
        for (JsonNode recipient : recipients) {
            assertThat(recipient.path("state").asText()).as("state of " + recipient).isEqualTo("SENT");
            messageIds.put(recipient.path("email").asText(), recipient.path("messageId").asText());
        }
        assertThat(messageIds).as("distinct addresses of campaign " + id).hasSize(total);
        return messageIds;
    }

    /** Every option's name, read from DemoOptions' own listing of its settings. */
    private static List<String> optionNames() {
        Matcher name = Pattern.compile("(?:^| )([a-z][a-z-]*)=").matcher(DemoOptions.defaults().toString());
        List<String> names = new ArrayList<>();
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }
}
