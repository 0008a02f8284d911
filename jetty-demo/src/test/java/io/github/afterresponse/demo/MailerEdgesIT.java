package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.afterresponse.demo.store.Audience;
import io.github.afterresponse.demo.store.CampaignState;
import io.github.afterresponse.demo.store.Customer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edges a review found, each of which once failed: a message sent twice without a crash (a lost
 * reply after DATA retried; a stop while a reply is slow), a cancelled campaign revived, a bad
 * list limit ignored, DNS rebinding past the CSRF checks, and a campaign stuck SENDING for good
 * when its run's ending could not be stored.
 */
class MailerEdgesIT {

    @TempDir
    Path dir;

    /** GET /api/campaigns and /api/outbox refuse a bad limit or offset with a 400 naming it. */
    @Test
    void badLimitOnCampaignListIsA400() throws Exception {
        try (BulkMailer mailer = BulkMailer.start(DemoOptions.parse(Map.of("port", "0", "smtp-port", "0",
                "data-dir", dir.toString(), "customers", "20", "rate", "0")))) {
            MailerApiClient api = MailerApiClient.open(URI.create("http://127.0.0.1:" + mailer.port() + "/"));
            MailerApiClient.Answer campaigns = api.get("/api/campaigns?limit=-1");
            MailerApiClient.Answer outbox = api.get("/api/outbox?offset=abc");
            assertThat(campaigns.status()).as("GET /api/campaigns?limit=-1: " + campaigns.body()).isEqualTo(400);
            assertThat(outbox.status()).as("GET /api/outbox?offset=abc: " + outbox.body()).isEqualTo(400);
        }
    }

    /**
     * A campaign CANCELLED in the database while its exchange waits for a slot (as a cancel racing
     * a resume could once leave it) stays CANCELLED: the completion callback of a run that never
     * sent changes only a QUEUED row.
     */
    @Test
    void aCancelledCampaignIsNotRevivedAsQueued() throws Exception {
        try (BulkMailer mailer = BulkMailer.start(DemoOptions.parse(Map.of("port", "0", "smtp-port", "0",
                "data-dir", dir.toString(), "customers", "200", "rate", "2", "max-running", "1")))) {
            MailerApiClient api = MailerApiClient.open(URI.create("http://127.0.0.1:" + mailer.port() + "/"));
            long slow = api.createCampaign(Map.of("subject", "Slow", "text", "Hello {name}")).path("id").asLong();
            // The 202 leaves before the toolkit hands the work to the scheduler, so a second request
            // sent at once can reach the slot first on a loaded machine (seen once in CI): wait until
            // the slow campaign holds it.
            await().atMost(Duration.ofSeconds(20)).until(() -> "SENDING".equals(api.campaign(slow).path("state").asText()));
            Customer one = mailer.campaigns().customers().first(new Audience(Optional.empty(), Optional.empty(), List.of()))
                    .orElseThrow();
            long waiting = api.createCampaign(Map.of("subject", "Waiting", "text", "Hi", "emails", List.of(one.email())))
                    .path("id").asLong();
            assertThat(api.campaign(waiting).path("state").asText()).isEqualTo("QUEUED");
            assertThat(api.campaign(waiting).path("active").asBoolean()).as("waits for the slot").isTrue();

            assertThat(mailer.campaigns().store().transition(waiting, List.of(CampaignState.QUEUED), CampaignState.CANCELLED,
                    Optional.of("cancelled by request"))).isTrue();
            assertThat(api.post("/api/campaigns/" + slow + "/cancel", Map.of()).status()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(20)).until(() -> !api.campaign(waiting).path("active").asBoolean());
            assertThat(api.campaign(waiting).path("state").asText()).as("campaign " + waiting + " after its exchange ended")
                    .isEqualTo("CANCELLED");
        }
    }

    /**
     * A run whose ending cannot be stored (the completion callback's UPDATE of the campaign times
     * out on a row lock the test holds) leaves the campaign SENDING with no run in this process. It
     * is not stuck: Resume applies, on the page and in the API, and sends each recipient once.
     */
    @Test
    void aCampaignWhoseEndingCouldNotBeStoredCanBeResumed() throws Exception {
        try (MailerFixture fixture = MailerFixture.start(dir, Map.of("customers", "20", "rate", "2"))) {
            MailerFixture.Client api = fixture.client();
            long id = strand(fixture, api);
            assertThat(api.campaign(id).path("resumable").asBoolean()).as("resumable in the API").isTrue();
            String page = api.get("/campaigns/" + id).body();
            assertThat(page).as("the page offers Resume").contains("/campaigns/" + id + "/resume");
            assertThat(page).as("the page stops polling: nothing changes until someone acts").doesNotContain("data-poll=\"true\"");

            MailerFixture.Reply resumed = api.post("/api/campaigns/" + id + "/resume", Map.of());
            assertThat(resumed.status()).as("resume: " + resumed.body()).isEqualTo(202);
            api.awaitState(id, "COMPLETED", Duration.ofSeconds(30));
            assertThat(MailerFixture.addresses(fixture.mailsOf(id))).as("each of the 20 recipients once").hasSize(20)
                    .doesNotHaveDuplicates();
        }
    }

    /** The same stranded campaign can be cancelled, as the page's Cancel button offers. */
    @Test
    void aCampaignWhoseEndingCouldNotBeStoredCanBeCancelled() throws Exception {
        try (MailerFixture fixture = MailerFixture.start(dir, Map.of("customers", "20", "rate", "2"))) {
            MailerFixture.Client api = fixture.client();
            long id = strand(fixture, api);
            MailerFixture.Reply cancelled = api.post("/api/campaigns/" + id + "/cancel", Map.of());
            assertThat(cancelled.status()).as("cancel: " + cancelled.body()).isEqualTo(202);
            assertThat(api.campaign(id).path("state").asText()).isEqualTo("CANCELLED");
        }
    }

    /**
     * A SENDING row that no run of this process left (another process's run, on a shared
     * PostgreSQL database) is not resumed from here: that would send its recipients twice.
     */
    @Test
    void aCampaignSendingElsewhereIsNotResumedHere() throws Exception {
        try (MailerFixture fixture = MailerFixture.start(dir, Map.of("customers", "6", "rate", "20"))) {
            MailerFixture.Client api = fixture.client();
            long id = api.create(Map.of("subject", "Elsewhere", "text", "Hello {name}")).path("id").asLong();
            api.awaitState(id, "COMPLETED", Duration.ofSeconds(20));
            assertThat(fixture.mailer().campaigns().store().transition(id, List.of(CampaignState.COMPLETED),
                    CampaignState.SENDING, Optional.empty())).isTrue();
            assertThat(api.campaign(id).path("resumable").asBoolean()).as("resumable in the API").isFalse();
            assertThat(api.get("/campaigns/" + id).body()).as("the page offers no Resume, and polls")
                    .doesNotContain("/campaigns/" + id + "/resume").contains("data-poll=\"true\"");
            assertThat(api.post("/api/campaigns/" + id + "/resume", Map.of()).status()).isEqualTo(409);
            assertThat(fixture.mailsOf(id)).as("nothing sent again").hasSize(6);
        }
    }

    /**
     * Makes a campaign whose run ended without its ending stored: while it sends, the test locks
     * its row, pauses it, and lets go only after the run's completion callback gave up on the lock.
     */
    private static long strand(MailerFixture fixture, MailerFixture.Client api) throws Exception {
        long id = api.create(Map.of("subject", "Stranded", "text", "Hello {name}")).path("id").asLong();
        api.awaitState(id, "SENDING", Duration.ofSeconds(20));
        try (Connection lock = fixture.mailer().database().dataSource().getConnection()) {
            lock.setAutoCommit(false);
            try (PreparedStatement select = lock.prepareStatement("SELECT id FROM campaign WHERE id = ? FOR UPDATE")) {
                select.setLong(1, id);
                select.executeQuery().close();
            }
            MailerFixture.Reply paused = api.post("/api/campaigns/" + id + "/pause", Map.of());
            assertThat(paused.status()).as("pause: " + paused.body()).isEqualTo(202);
            // The callback's UPDATE waits for the lock (H2: 2 s), fails, and the run leaves this process.
            await().atMost(Duration.ofSeconds(30)).until(() -> !api.campaign(id).path("active").asBoolean());
            lock.rollback();
        }
        JsonNode stranded = api.campaign(id);
        assertThat(stranded.path("state").asText()).as("campaign " + id + ": " + stranded).isEqualTo("SENDING");
        assertThat(fixture.mailsOf(id)).as("sent before the pause").hasSizeLessThan(20);
        return id;
    }

    /**
     * A stop (what SIGTERM's hook does) while a message waits for the server's reply to DATA longer
     * than the toolkit waits after its interrupt (5 s): the database stays open until the sender
     * stored the recipient as SENT, so the restart does not send it again.
     */
    @Test
    void aStopDuringASlowDataReplySendsNothingTwice() throws Exception {
        try (SlowSmtp smtp = new SlowSmtp(15_000)) {
            Map<String, String> options = Map.of("port", "0", "smtp-host", "127.0.0.1", "smtp-port", Integer.toString(smtp.port()),
                    "data-dir", dir.toString(), "customers", "20", "rate", "0", "smtp-connections", "1", "shutdown-grace", "0s");
            String address;
            BulkMailer first = BulkMailer.start(DemoOptions.parse(options));
            try {
                MailerApiClient api = MailerApiClient.open(URI.create("http://127.0.0.1:" + first.port() + "/"));
                address = first.campaigns().customers().first(new Audience(Optional.empty(), Optional.empty(), List.of()))
                        .orElseThrow().email();
                api.createCampaign(Map.of("subject", "Once", "text", "Only once", "emails", List.of(address)));
                assertThat(smtp.dataReceived.await(20, TimeUnit.SECONDS)).as("the message reached DATA").isTrue();
            } finally {
                first.close();
            }
            smtp.delayMillis = 0;
            await().atMost(Duration.ofSeconds(20)).until(() -> smtp.accepted.size() >= 1);
            try (BulkMailer second = BulkMailer.start(DemoOptions.parse(options))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> second.campaigns().store().list(1, 0).get(0).state()
                        == CampaignState.COMPLETED);
            }
            assertThat(smtp.accepted).as("messages accepted for " + address).containsExactly(address);
        }
    }

    /**
     * The server takes a whole message (DATA and its final dot) and the connection breaks before
     * its reply: SmtpPool does not send the message again on a new connection (it arrived once);
     * the recipient is recorded as a retryable failure.
     */
    @Test
    void aLostReplyAfterDataIsNotSentAgain() throws Exception {
        try (SlowSmtp smtp = new SlowSmtp(0)) {
            smtp.dropAfter = 2;
            try (BulkMailer mailer = BulkMailer.start(DemoOptions.parse(Map.of("port", "0", "smtp-host", "127.0.0.1",
                    "smtp-port", Integer.toString(smtp.port()), "data-dir", dir.toString(), "customers", "20", "rate", "0",
                    "smtp-connections", "1")))) {
                MailerApiClient api = MailerApiClient.open(URI.create("http://127.0.0.1:" + mailer.port() + "/"));
                List<String> two = mailer.campaigns().customers().segments().stream().limit(2)
                        .map(segment -> mailer.campaigns().customers().first(new Audience(Optional.of(segment), Optional.empty(),
                                List.of())).orElseThrow().email()).toList();
                long id = api.createCampaign(Map.of("subject", "Two", "text", "Once each", "emails", two)).path("id").asLong();
                await().atMost(Duration.ofSeconds(20)).until(() -> !api.campaign(id).path("active").asBoolean());
                assertThat(smtp.accepted).as("messages the server took in, per address").hasSameElementsAs(two).hasSize(2);
            }
        }
    }

    /**
     * DNS rebinding: a page of evil.example whose name the attacker then points at 127.0.0.1 sends
     * Host and Origin evil.example:PORT, which agree, so the CSRF checks alone would pass. Every
     * request whose Host is not a loopback name with this server's port gets 421, before a token
     * is handed out.
     */
    @Test
    void aRequestForAnotherHostNameIsRefused() throws Exception {
        try (BulkMailer mailer = BulkMailer.start(DemoOptions.parse(Map.of("port", "0", "smtp-port", "0",
                "data-dir", dir.toString(), "customers", "20", "rate", "0")))) {
            String host = "evil.example:" + mailer.port();
            String session = raw(mailer.port(), "GET /api/session HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertThat(session.lines().findFirst().orElse("")).as("no token for a rebound name").contains(" 421 ");
            assertThat(session).doesNotContain("csrfToken").doesNotContain("mailer_csrf=");
            String body = "{\"subject\":\"Rebound\",\"text\":\"from evil.example\"}";
            String created = raw(mailer.port(), "POST /api/campaigns HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://" + host
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
            assertThat(created.lines().findFirst().orElse("")).as("POST /api/campaigns from a rebound name").contains(" 421 ");
            assertThat(mailer.campaigns().store().count()).isZero();
            for (String own : new String[] {"127.0.0.1", "localhost"}) {
                String page = raw(mailer.port(), "GET /api/session HTTP/1.1\r\nHost: " + own + ":" + mailer.port()
                        + "\r\nConnection: close\r\n\r\n");
                assertThat(page.lines().findFirst().orElse("")).as(own).contains(" 200 ");
            }
            String otherPort = raw(mailer.port(), "GET /api/session HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n");
            assertThat(otherPort.lines().findFirst().orElse("")).as("another port").contains(" 421 ");
        }
    }

    private static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A minimal SMTP server on 127.0.0.1 that waits before answering the end of DATA. */
    private static final class SlowSmtp implements AutoCloseable {
        final ServerSocket server;
        final CopyOnWriteArrayList<String> accepted = new CopyOnWriteArrayList<>();
        final CountDownLatch dataReceived = new CountDownLatch(1);
        volatile long delayMillis;
        /** The message number (1 = first) after whose DATA the server drops the connection without its reply. */
        volatile int dropAfter;

        SlowSmtp(long delayMillis) throws IOException {
            this.delayMillis = delayMillis;
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread session = new Thread(() -> serve(socket), "slow-smtp-session");
                        session.setDaemon(true);
                        session.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "slow-smtp");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(Socket socket) {
            try (socket) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream();
                reply(out, "220 slow ESMTP");
                String to = null;
                for (String line; (line = in.readLine()) != null; ) {
                    String upper = line.toUpperCase(java.util.Locale.ROOT);
                    if (upper.startsWith("RCPT TO:")) {
                        to = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                        reply(out, "250 ok");
                    } else if (upper.equals("DATA")) {
                        reply(out, "354 go on");
                        while (!".".equals(in.readLine())) {
                            // the message
                        }
                        dataReceived.countDown();
                        long delay = delayMillis;
                        if (delay > 0) {
                            Thread.sleep(delay); // the slow server under test, not a synchronisation
                        }
                        accepted.add(to);
                        if (accepted.size() == dropAfter) {
                            return; // the message is in; the reply is lost with the connection
                        }
                        reply(out, "250 accepted");
                    } else if (upper.equals("QUIT")) {
                        reply(out, "221 bye");
                        return;
                    } else {
                        reply(out, "250 ok");
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the session ends
            }
        }

        private static void reply(OutputStream out, String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
