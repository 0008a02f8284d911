package io.github.afterresponse.demo.war;

import io.github.afterresponse.AfterResponseConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumSet;

/**
 * Sets the application up: the gates and the exchange log every servlet uses, and the
 * programmatic style — {@link ProgrammaticMailServlet} and a filter named {@value #FILTER_NAME}
 * built in code, mapped onto that servlet by name.
 */
@WebListener
public class DemoSetup implements ServletContextListener {

    /** The programmatic filter's name. */
    public static final String FILTER_NAME = "programmatic";
    /** The programmatic servlet's name. */
    public static final String SERVLET_NAME = "programmaticMail";

    private static final String SELECTION_ATTRIBUTE = ExecutorSelection.class.getName();
    private static final System.Logger LOG = System.getLogger("io.github.afterresponse.demo.war");

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Gates.install(context);
        ExchangeLog.install(context);

        ExecutorSelection selection = ExecutorSelection.select();
        context.setAttribute(SELECTION_ATTRIBUTE, selection);
        LOG.log(Level.INFO, "after-response-demo: programmatic filter uses executor {0} ({1})",
                selection.choice(), selection.reason());

        ServletRegistration.Dynamic servlet = context.addServlet(SERVLET_NAME, new ProgrammaticMailServlet());
        servlet.setAsyncSupported(true);
        servlet.addMapping("/programmatic/mail");

        AfterResponseConfig config = AfterResponseConfig.builder()
                .executor(selection.choice())
                .maxRunning(4)
                .timeLimit(Duration.ofSeconds(60))
                .shutdownGrace(Duration.ofSeconds(5))
                .build();
        FilterRegistration.Dynamic filter = context.addFilter(FILTER_NAME, new RecordingAfterResponseFilter(config));
        filter.setAsyncSupported(true);
        filter.addMappingForServletNames(EnumSet.of(DispatcherType.REQUEST), false, SERVLET_NAME);
    }

    /** What {@link #contextInitialized} chose for the programmatic filter, for the status page. */
    static ExecutorSelection selection(ServletContext context) {
        return (ExecutorSelection) context.getAttribute(SELECTION_ATTRIBUTE);
    }
}
