package io.github.afterresponse.demo;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.demo.campaign.CampaignService;
import io.github.afterresponse.demo.campaign.Recovery;
import io.github.afterresponse.demo.mail.EmbeddedSmtp;
import io.github.afterresponse.demo.mail.Outbox;
import io.github.afterresponse.demo.mail.SendLimiter;
import io.github.afterresponse.demo.mail.SmtpPool;
import io.github.afterresponse.demo.store.CampaignStore;
import io.github.afterresponse.demo.store.CustomerStore;
import io.github.afterresponse.demo.store.Database;
import io.github.afterresponse.demo.web.ApiServlet;
import io.github.afterresponse.demo.web.CampaignFilter;
import io.github.afterresponse.demo.web.Csrf;
import io.github.afterresponse.demo.web.LoopbackHost;
import io.github.afterresponse.demo.web.Pages;
import jakarta.servlet.DispatcherType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The bulk mailer: embedded Jetty 12 on 127.0.0.1 with the toolkit's filter in front of the
 * requests that start sending, a database of customers and campaigns, and an SMTP server —
 * by default an embedded GreenMail.
 */
public final class BulkMailer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BulkMailer.class.getName());

    private final DemoOptions options;
    private final Server server;
    private final EmbeddedSmtp embeddedSmtp;
    private final Database database;
    private final SmtpPool smtp;
    private final ExecutorService senders;
    private final CampaignService campaigns;
    private final CampaignFilter filter;

    private BulkMailer(DemoOptions options, Server server, EmbeddedSmtp embeddedSmtp, Database database, SmtpPool smtp,
                       ExecutorService senders, CampaignService campaigns, CampaignFilter filter) {
        this.options = options;
        this.server = server;
        this.embeddedSmtp = embeddedSmtp;
        this.database = database;
        this.smtp = smtp;
        this.senders = senders;
        this.campaigns = campaigns;
        this.filter = filter;
    }

    /** Starts the SMTP server (if embedded), the database and the web server, then resumes what was unfinished. */
    public static BulkMailer start(DemoOptions options) throws Exception {
        return start(options, true);
    }

    /**
     * As {@link #start(DemoOptions)}, with {@code reuseSmtpConnections} false to open one SMTP
     * connection per message. Deliberately not an option of the demo: only the benchmark
     * ({@code CampaignThroughput}, in the tests) uses it, to measure what reusing connections saves.
     */
    static BulkMailer start(DemoOptions options, boolean reuseSmtpConnections) throws Exception {
        EmbeddedSmtp embedded = null;
        Database database = null;
        SmtpPool smtp = null;
        ExecutorService senders = null;
        Server started = null;
        try {
            int smtpPort = options.smtpPort();
            if (options.embeddedSmtp()) {
                embedded = EmbeddedSmtp.start(options.smtpPort(), options.smtpReject());
                smtpPort = embedded.port();
            }
            database = Database.open(options.dbUrl(), options.dbUser(), options.dbPassword(), options.dataDir(),
                    options.customers());
            smtp = SmtpPool.of(options, smtpPort, reuseSmtpConnections);
            AtomicInteger senderNumber = new AtomicInteger();
            senders = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "mailer-sender-" + senderNumber.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            SendLimiter limiter = new SendLimiter(options.rate(), options.window().map(DemoOptions.Window::count).orElse(0),
                    options.window().map(DemoOptions.Window::length).orElse(Duration.ZERO));
            CampaignService campaigns = new CampaignService(new CampaignStore(database.dataSource()),
                    new CustomerStore(database.dataSource()), smtp, limiter, senders, options, Clock.systemUTC());
            Csrf csrf = Csrf.inDirectory(options.dataDir());
            Optional<Outbox> outbox = Optional.ofNullable(embedded).map(EmbeddedSmtp::outbox);

            Server server = new Server(new InetSocketAddress("127.0.0.1", options.port()));
            ServletContextHandler context = new ServletContextHandler();
            CampaignFilter filter = new CampaignFilter(AfterResponseConfig.builder()
                    // A person closing the tab must not cancel a campaign.
                    .abortPolicy(AbortPolicy.CONTINUE)
                    .timeLimit(options.timeLimit())
                    .maxRunning(options.maxRunning())
                    .queueCapacity(options.queue())
                    .shutdownGrace(options.shutdownGrace())
                    .build());
            FilterHolder filterHolder = new FilterHolder(filter);
            filterHolder.setName("afterResponse");
            filterHolder.setAsyncSupported(true);
            context.addFilter(new FilterHolder(new LoopbackHost()), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addFilter(filterHolder, "/*", EnumSet.of(DispatcherType.REQUEST));
            ServletHolder api = new ServletHolder("api", new ApiServlet(campaigns, outbox, csrf));
            api.setAsyncSupported(true);
            context.addServlet(api, "/api/*");
            ServletHolder pages = new ServletHolder("pages", new Pages(campaigns, outbox, csrf, options));
            pages.setAsyncSupported(true);
            context.addServlet(pages, "/");
            server.setHandler(context);
            // What the last process left is put right before anyone can reach this one: a campaign
            // a person resumed meanwhile must not be taken for one the crash left SENDING.
            Recovery recovery = new Recovery(campaigns.store(), options.smtpConnections());
            List<io.github.afterresponse.demo.store.Campaign> unfinished = recovery.prepare();
            started = server;
            server.start();
            BulkMailer mailer = new BulkMailer(options, server, embedded, database, smtp, senders, campaigns, filter);
            recovery.resumeInBackground(URI.create("http://127.0.0.1:" + mailer.port() + "/"), unfinished);
            return mailer;
        } catch (Exception | Error e) {
            if (started != null) {
                try {
                    started.stop();
                } catch (Exception stopping) {
                    e.addSuppressed(stopping);
                }
            }
            if (senders != null) {
                senders.shutdownNow();
            }
            if (smtp != null) {
                smtp.close();
            }
            if (database != null) {
                database.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /** The port of the web page. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** The database: customers, campaigns and their recipients. */
    public Database database() {
        return database;
    }

    public CampaignService campaigns() {
        return campaigns;
    }

    /** The embedded SMTP server, when the demo runs its own. */
    public Optional<EmbeddedSmtp> embeddedSmtp() {
        return Optional.ofNullable(embeddedSmtp);
    }

    public SmtpPool smtp() {
        return smtp;
    }

    public CampaignFilter filter() {
        return filter;
    }

    /** The lines printed at start: URL, SMTP server, database, limits. */
    public String describe() {
        return "Bulk mailer: http://127.0.0.1:" + port() + "/\n"
                + "  SMTP:     " + (embeddedSmtp != null ? "embedded GreenMail on 127.0.0.1:" + embeddedSmtp.port()
                        + (options.smtpReject().pattern().isEmpty() ? "" : ", refusing " + options.smtpReject().pattern())
                        + "; what it receives is on /outbox" : smtp.description()) + "\n"
                + "  database: " + database.description() + ", " + campaigns.customers().count() + " customers, "
                        + campaigns.store().count() + " campaigns\n"
                + "  sending:  " + (options.rate() == 0 ? "no rate limit" : options.rate() + " messages/s")
                        + options.window().map(w -> ", at most " + w).orElse("") + ", " + options.smtpConnections()
                        + " SMTP connections, " + options.maxRunning() + " campaigns at once, " + options.queue() + " waiting,"
                        + " pause after " + options.maxErrors() + " failures in a row";
    }

    /** Stops the web server (running campaigns stop at a recipient boundary within the grace), then the rest. */
    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            try {
                // The toolkit gives up on a run 5 s after interrupting it, but a sender may still
                // wait for the server's reply to a message: the database stays open until every
                // sender has stored what it did (each SMTP read and write times out after 30 s),
                // or the recipient would stay PENDING after the server took its message, and be
                // sent again at the next start.
                senders.shutdown();
                if (!senders.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES)) {
                    LOG.log(System.Logger.Level.WARNING, "senders still busy 2 min after the stop; closing the database anyway");
                    senders.shutdownNow();
                }
            } finally {
                try {
                    smtp.close();
                    database.close();
                } finally {
                    if (embeddedSmtp != null) {
                        embeddedSmtp.close();
                    }
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            System.out.print(DemoOptions.usage());
            return;
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("bulk mailer: " + e.getMessage());
            System.exit(2);
            return;
        }
        BulkMailer mailer;
        try {
            mailer = start(options);
        } catch (Exception e) {
            System.err.println("bulk mailer: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                mailer.close();
                LOG.log(System.Logger.Level.INFO, "bulk mailer stopped");
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "bulk-mailer-shutdown"));
        System.out.println(mailer.describe() + "\n  Ctrl-C stops; --help lists the options.");
        mailer.server.join();
    }

}
