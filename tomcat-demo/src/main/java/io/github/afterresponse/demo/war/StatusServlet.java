package io.github.afterresponse.demo.war;

import io.github.afterresponse.AfterResponseMonitor;
import io.github.afterresponse.Completion;
import io.github.afterresponse.TaskInfo;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code /status} (HTML) and {@code /status.json}: the recent exchanges, each After Response
 * filter's figures and the executor of the programmatic one. Mapped to no filter, so it answers
 * even when every filter refuses work, and it never shows up among the exchanges itself.
 */
@WebServlet(name = "status", urlPatterns = {"/status", "/status.json"})
public class StatusServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<ExchangeRecord> exchanges = ExchangeLog.of(getServletContext()).recent();
        List<FilterView> filters = FilterView.all(getServletContext());
        ExecutorSelection selection = DemoSetup.selection(getServletContext());
        response.setHeader("Cache-Control", "no-store");
        if (request.getServletPath().endsWith(".json")) {
            response.setContentType("application/json;charset=UTF-8");
            response.getWriter().write(json(exchanges, filters, selection));
        } else {
            response.setContentType("text/html;charset=UTF-8");
            html(response.getWriter(), exchanges, filters, selection);
        }
    }

    private String json(List<ExchangeRecord> exchanges, List<FilterView> filters, ExecutorSelection selection) {
        JsonWriter json = new JsonWriter().beginObject();
        json.field("server", getServletContext().getServerInfo());
        json.name("programmaticExecutor").beginObject()
                .field("choice", selection == null ? null : selection.choice().toString())
                .field("reason", selection == null ? null : selection.reason())
                .endObject();
        json.name("filters").beginArray();
        for (FilterView filter : filters) {
            json.beginObject().field("name", filter.name()).field("className", filter.className())
                    .field("executor", filter.executor());
            json.name("urlPatterns").beginArray();
            filter.urlPatterns().forEach(json::value);
            json.endArray().name("servletNames").beginArray();
            filter.servletNames().forEach(json::value);
            json.endArray();
            json.name("monitor");
            if (filter.monitor().isEmpty()) {
                json.value((String) null);
            } else {
                monitor(json, filter.monitor().get());
            }
            json.endObject();
        }
        json.endArray();
        json.name("exchanges").beginArray();
        for (ExchangeRecord record : exchanges) {
            exchange(json, record);
        }
        return json.endArray().endObject().toString();
    }

    private static void monitor(JsonWriter json, AfterResponseMonitor monitor) {
        json.beginObject().field("accepted", monitor.accepted()).field("rejected", monitor.rejected())
                .field("running", monitor.running()).field("queued", monitor.queued())
                .field("completed", monitor.completed()).field("failed", monitor.failed())
                .field("cancelled", monitor.cancelled()).field("aborted", monitor.aborted())
                .field("timedOut", monitor.timedOut()).field("shutDown", monitor.shutDown());
        json.name("tasks").beginArray();
        for (TaskInfo task : monitor.tasks(20)) {
            json.beginObject().field("exchangeId", task.exchangeId()).field("state", task.state().name())
                    .field("queued", task.isQueued()).field("uri", task.requestUri()).endObject();
        }
        json.endArray().endObject();
    }

    private static void exchange(JsonWriter json, ExchangeRecord record) {
        Optional<Completion> done = record.completion();
        json.beginObject()
                .field("id", record.exchangeId())
                .field("style", record.style())
                .field("path", record.path())
                .field("work", record.work())
                .field("filter", record.filter())
                .field("requestThread", record.requestThread())
                .field("workThread", record.workThread().orElse(null))
                .field("seenAt", record.seenAt().toString())
                .field("workStartedAt", record.workStartedAt().map(Instant::toString).orElse(null))
                .field("outcome", done.map(d -> d.outcome().name()).orElse(null))
                .field("status", done.map(d -> (long) d.status().value()).orElse(-1L))
                .field("callbacksRun", record.callbacksRun())
                .field("respondedAt", done.flatMap(Completion::respondedAt).map(Instant::toString).orElse(null))
                .field("finishedAt", done.map(d -> d.finishedAt().toString()).orElse(null))
                .field("backgroundMillis", done.map(d -> d.backgroundTime().toMillis()).orElse(-1L))
                .endObject();
    }

    private void html(PrintWriter out, List<ExchangeRecord> exchanges, List<FilterView> filters, ExecutorSelection selection) {
        out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\"><title>After Response status</title>");
        out.println("<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}</style></head><body>");
        out.println("<h1>After Response status</h1><p>Server: " + Html.escape(getServletContext().getServerInfo())
                + ". <a href=\"status.json\">JSON</a> · <a href=\"./\">index</a></p>");
        out.println("<p>Programmatic filter executor: <code>" + Html.escape(selection == null ? "unknown" : selection.choice())
                + "</code> (" + Html.escape(selection == null ? "" : selection.reason()) + ")</p>");
        out.println("<h2>Filters</h2><table><tr><th>name</th><th>class</th><th>mapped to</th><th>executor</th>"
                + "<th>accepted</th><th>rejected</th><th>running</th><th>queued</th><th>completed</th><th>failed</th>"
                + "<th>cancelled</th><th>timed out</th><th>shut down</th></tr>");
        for (FilterView filter : filters) {
            out.print("<tr><td>" + Html.escape(filter.name()) + "</td><td>" + Html.escape(filter.className()) + "</td><td>"
                    + Html.escape(String.join(", ", filter.urlPatterns())) + " " + Html.escape(String.join(", ", filter.servletNames()))
                    + "</td><td>" + Html.escape(filter.executor()) + "</td>");
            filter.monitor().ifPresentOrElse(m -> out.println("<td>" + m.accepted() + "</td><td>" + m.rejected() + "</td><td>"
                    + m.running() + "</td><td>" + m.queued() + "</td><td>" + m.completed() + "</td><td>" + m.failed() + "</td><td>"
                    + m.cancelled() + "</td><td>" + m.timedOut() + "</td><td>" + m.shutDown() + "</td></tr>"),
                    () -> out.println("<td colspan=\"9\">not started</td></tr>"));
        }
        out.println("</table><h2>Recent exchanges (newest last, at most " + ExchangeLog.CAPACITY + ")</h2>");
        out.println("<table><tr><th>id</th><th>style</th><th>path</th><th>work</th><th>work thread</th><th>outcome</th>"
                + "<th>status</th><th>callbacks</th><th>seen</th><th>finished</th></tr>");
        for (ExchangeRecord record : exchanges) {
            Optional<Completion> done = record.completion();
            out.println("<tr><td>" + Html.escape(record.exchangeId()) + "</td><td>" + Html.escape(record.style()) + "</td><td>"
                    + Html.escape(record.path()) + "</td><td>" + Html.escape(record.work()) + "</td><td>"
                    + Html.escape(record.workThread().orElse("")) + "</td><td>"
                    + Html.escape(done.map(d -> d.outcome().name()).orElse("running")) + "</td><td>"
                    + done.map(d -> Integer.toString(d.status().value())).orElse("") + "</td><td>" + record.callbacksRun()
                    + "</td><td>" + Html.escape(record.seenAt()) + "</td><td>"
                    + Html.escape(done.map(Completion::finishedAt).orElse(null)) + "</td></tr>");
        }
        out.println("</table></body></html>");
    }
}
