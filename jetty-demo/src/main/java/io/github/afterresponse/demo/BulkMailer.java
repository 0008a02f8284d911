package io.github.afterresponse.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.afterresponse.AfterResponseFilter;
import jakarta.servlet.DispatcherType;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The bulk mailer: embedded Jetty 12 on 127.0.0.1 with {@link AfterResponseFilter} in front of the
 * campaign servlet, sending through an SMTP server — by default an embedded GreenMail.
 */
public final class BulkMailer implements AutoCloseable {

    private final Server server;
    private final GreenMail embeddedSmtp;
    private final Campaigns campaigns;

    private BulkMailer(Server server, GreenMail embeddedSmtp, Campaigns campaigns) {
        this.server = server;
        this.embeddedSmtp = embeddedSmtp;
        this.campaigns = campaigns;
    }

    /** Starts the SMTP server (if embedded) and the web server. */
    public static BulkMailer start(DemoOptions options) throws Exception {
        GreenMail smtp = null;
        String smtpHost = options.smtpHost();
        int smtpPort = options.smtpPort();
        if (options.embeddedSmtp()) {
            smtp = new GreenMail(new ServerSetup(options.smtpPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
            smtpHost = "127.0.0.1";
            smtpPort = smtp.getSmtp().getPort();
        }
        Campaigns campaigns = new Campaigns();
        Server server = new Server(new InetSocketAddress("127.0.0.1", options.httpPort()));
        ServletContextHandler context = new ServletContextHandler();
        FilterHolder filter = new FilterHolder(new AfterResponseFilter());
        filter.setName("afterResponse");
        filter.setAsyncSupported(true);
        // A campaign may take minutes, but not forever; four run at once, 64 more may wait.
        filter.setInitParameter("time-limit", "10m");
        filter.setInitParameter("max-running", "4");
        filter.setInitParameter("queue-capacity", "64");
        context.addFilter(filter, "/campaigns/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder campaignServlet = new ServletHolder(new CampaignServlet(campaigns, new SmtpMailer(smtpHost, smtpPort)));
        campaignServlet.setAsyncSupported(true);
        context.addServlet(campaignServlet, "/campaigns/*");
        context.addServlet(new ServletHolder(new IndexServlet()), "");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            if (smtp != null) {
                smtp.stop();
            }
            throw e;
        }
        return new BulkMailer(server, smtp, campaigns);
    }

    /** The port of the web page. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public Campaigns campaigns() {
        return campaigns;
    }

    /** The embedded SMTP server, to see what it received; null when sending elsewhere. */
    public GreenMail embeddedSmtp() {
        return embeddedSmtp;
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            if (embeddedSmtp != null) {
                embeddedSmtp.stop();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bulk mailer: " + e.getMessage());
            System.exit(2);
            return;
        }
        BulkMailer mailer = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                mailer.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "bulk-mailer-shutdown"));
        System.out.println("Bulk mailer: http://127.0.0.1:" + mailer.port() + "/  (SMTP: "
                + (options.embeddedSmtp() ? "embedded GreenMail on 127.0.0.1:" + mailer.embeddedSmtp().getSmtp().getPort()
                        : options.smtpHost() + ":" + options.smtpPort()) + "; Ctrl-C stops)");
        mailer.server.join();
    }
}
