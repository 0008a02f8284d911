package io.github.afterresponse.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.afterresponse.demo.bench.MachineCpu;
import io.github.afterresponse.demo.bench.MailerApi;
import io.github.afterresponse.demo.bench.SenderProfile;
import io.github.afterresponse.demo.bench.SmtpSink;
import io.github.afterresponse.demo.bench.ThreadCpu;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Benchmark, not a test (its name ends neither in Test nor IT, so no build phase runs it; {@code
 * bench/mailer-throughput.sh} does): how many messages per second a campaign sends, and how much
 * heap it needs, with the demo's real classes in this JVM — Jetty, the toolkit's filter, H2 in a
 * temporary directory, the SMTP pool — and each campaign created through the HTTP API like a
 * client does.
 *
 * <p>Each run starts a fresh mailer ({@code --rate=0}, so that no limiter is in the way), creates
 * one campaign to all its customers with {@code POST /api/campaigns}, and polls it every 20 ms;
 * its time runs from the 202 to the first poll that sees it COMPLETED. Two SMTP servers: the
 * embedded GreenMail (which keeps every message in its outbox, in this heap) and {@link SmtpSink},
 * which keeps nothing. Sections:
 * <ul>
 *   <li>{@code throughput}: 10,000 recipients with 1, 2 and 4 reused connections;</li>
 *   <li>{@code per-message}: one connection per message ({@link BulkMailer#start(DemoOptions, boolean)});</li>
 *   <li>{@code heap}: used heap after {@code System.gc()} before and after campaigns of 1,000, 5,000
 *       and 10,000 recipients, and the most heap left after any collection during the run;</li>
 *   <li>{@code profile}: one run per server under JFR, to see where the sending threads' time goes.</li>
 * </ul>
 * A warm-up comes first; configurations are interleaved and repeated.
 *
 * <p>Arguments: {@code --repeats=N} (3), {@code --recipients=N} (10000), {@code
 * --per-message-recipients=N} (500: a rate without reuse does not depend on the campaign's size,
 * and the embedded GreenMail takes over 40 ms per new connection), {@code --sections=...} (all).
 * Tables go to standard output as Markdown, progress to standard error.
 */
public final class CampaignThroughput {

    private enum Smtp {
        EMBEDDED("embedded GreenMail"), SINK("discarding sink");

        final String label;

        Smtp(String label) {
            this.label = label;
        }
    }

    private record Config(Smtp smtp, int connections, boolean reuse) {
        String reuseLabel() {
            return reuse ? "reused" : "one per message";
        }
    }

    /** One campaign's figures. */
    private record Run(Config config, int recipients, double seconds, long sent, long failed, long cpuNanos, double machineCpuSeconds,
                       Map<String, Long> cpuByGroup, double latencyMillis, long opened, long heapBefore, long heapAfter,
                       long peakAfterGc, int collections, String profile) {
        double perSecond() {
            return (sent + failed) / seconds;
        }
    }

    private static final List<String> SECTIONS = List.of("throughput", "per-message", "heap", "profile");
    private static final Pattern BOUNCES = Pattern.compile(".*@bounce\\.example\\.com", Pattern.CASE_INSENSITIVE);
    private static final String CAMPAIGN = """
            {"subject": "Spring news for {firstName}",
             "text": "Dear {name},\\n\\nspring has come to {city}, and with it our new collection. As one of our {segment} \
            customers you get 15% off everything until the end of the month: show this mail in any of our shops in {city} \
            or use it online.\\n\\nWhat is new this season: linen shirts, light jackets, walking shoes that last, and a \
            small range of bags made from recycled sails.\\n\\nWe write to you at {email} because you asked for our news. \
            One click on the link at the bottom of our site and you hear no more from us.\\n\\nKind regards,\\nThe shop team",
             "html": "<!doctype html><html><body style=\\"font-family:sans-serif\\"><h1>Spring news for {firstName}</h1>\
            <p>Dear {name},</p><p>spring has come to <b>{city}</b>, and with it our new collection. As one of our \
            {segment} customers you get <b>15% off</b> everything until the end of the month: show this mail in any of \
            our shops in {city} or use it online.</p><h2>What is new this season</h2><ul><li>linen shirts</li>\
            <li>light jackets</li><li>walking shoes that last</li><li>bags made from recycled sails</li></ul>\
            <p>We write to you at {email} because you asked for our news.</p><p>Kind regards,<br>The shop team</p>\
            </body></html>"}
            """;

    private final Path root;
    private final AtomicInteger runNumber = new AtomicInteger();

    private CampaignThroughput(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("repeats", "3", "recipients", "10000",
                "per-message-recipients", "500", "sections", String.join(",", SECTIONS)));
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0 || !options.containsKey(arg.substring(2, eq))) {
                throw new IllegalArgumentException("arguments must be --repeats=N, --recipients=N,"
                        + " --per-message-recipients=N or --sections=" + String.join(",", SECTIONS) + ", but was '"
                        + arg + "'");
            }
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        int repeats = Integer.parseInt(options.get("repeats"));
        int recipients = Integer.parseInt(options.get("recipients"));
        List<String> sections = List.of(options.get("sections").split(","));
        if (repeats < 1 || recipients < 10 || !SECTIONS.containsAll(sections)) {
            throw new IllegalArgumentException("--repeats must be at least 1, --recipients at least 10 and --sections some of "
                    + SECTIONS + ", but were " + options);
        }
        Path root = Files.createTempDirectory("mailer-bench");
        try {
            new CampaignThroughput(root).measure(repeats, recipients, Integer.parseInt(options.get("per-message-recipients")),
                    sections);
        } finally {
            deleteTree(root);
        }
    }

    private void measure(int repeats, int recipients, int perMessageRecipients, List<String> sections) throws Exception {
        long began = System.nanoTime();
        StringBuilder out = new StringBuilder();
        out.append(jvm()).append('\n');

        progress("warm-up: one campaign each way, not counted");
        run(new Config(Smtp.EMBEDDED, 4, true), recipients / 2, false);
        run(new Config(Smtp.SINK, 4, true), recipients / 2, false);
        if (sections.contains("per-message")) {
            run(new Config(Smtp.SINK, 4, false), perMessageRecipients, false);
        }

        List<Config> reused = sections.contains("throughput")
                ? List.of(new Config(Smtp.EMBEDDED, 1, true), new Config(Smtp.EMBEDDED, 2, true),
                        new Config(Smtp.EMBEDDED, 4, true), new Config(Smtp.SINK, 4, true))
                : List.of();
        List<Config> perMessage = sections.contains("per-message")
                ? List.of(new Config(Smtp.EMBEDDED, 4, false), new Config(Smtp.SINK, 1, false), new Config(Smtp.SINK, 4, false))
                : List.of();
        List<Integer> heapSizes = !sections.contains("heap") ? List.of()
                : reused.isEmpty() ? List.of(recipients / 10, recipients / 2, recipients) : List.of(recipients / 10, recipients / 2);
        Map<Config, List<Run>> throughput = new LinkedHashMap<>();
        Map<Config, List<Run>> unreused = new LinkedHashMap<>();
        Map<String, List<Run>> heap = new java.util.TreeMap<>();
        String loadBefore = loadAverage();
        // Interleaved, so that a slow minute of a shared machine hits every configuration alike.
        for (int i = 0; i < repeats; i++) {
            for (Config config : reused) {
                Run run = run(config, recipients, false);
                throughput.computeIfAbsent(config, c -> new ArrayList<>()).add(run);
                if (config.connections() == 4 && !heapSizes.isEmpty()) {
                    heap.computeIfAbsent(key(config.smtp(), recipients), k -> new ArrayList<>()).add(run);
                }
            }
            for (Config config : perMessage) {
                unreused.computeIfAbsent(config, c -> new ArrayList<>()).add(run(config, perMessageRecipients, false));
            }
            for (Smtp smtp : Smtp.values()) {
                for (int size : heapSizes) {
                    heap.computeIfAbsent(key(smtp, size), k -> new ArrayList<>()).add(run(new Config(smtp, 4, true), size, false));
                }
            }
        }
        String loadAfter = loadAverage();
        if (!throughput.isEmpty()) {
            out.append(throughputTable("Throughput: campaigns of " + String.format(Locale.ROOT, "%,d", recipients)
                    + " recipients, SMTP connections reused", throughput, repeats));
        }
        if (!unreused.isEmpty()) {
            out.append(throughputTable("One SMTP connection per message: campaigns of "
                    + String.format(Locale.ROOT, "%,d", perMessageRecipients) + " recipients", unreused, repeats));
        }
        Map<Config, List<Run>> all = new LinkedHashMap<>(throughput);
        all.putAll(unreused);
        if (!all.isEmpty()) {
            out.append(String.format(Locale.ROOT, "Messages/s counts every recipient handled: sent, or refused at RCPT (%s)."
                    + " Load average of the machine (1, 5, 15 min) before / after: %s / %s.%n%n",
                    refused(all.values().iterator().next().get(0)), loadBefore, loadAfter));
            out.append(cpuTable(all));
        }
        if (!heap.isEmpty()) {
            out.append(heapTable(heap, repeats));
        }
        if (sections.contains("profile")) {
            for (Smtp smtp : Smtp.values()) {
                Run profiled = run(new Config(smtp, 4, true), recipients, true);
                out.append(String.format(Locale.ROOT, "%n### Where the sending threads' time goes: %s, 4 reused connections,"
                                + " %,d recipients (one run under JFR, %.0f messages/s)%n%n", smtp.label, recipients,
                        profiled.perSecond()));
                out.append(profiled.profile());
            }
        }
        out.append(String.format(Locale.ROOT, "%nWhole benchmark: %.0f s.%n", (System.nanoTime() - began) / 1e9));
        System.out.print(out);
    }

    /** Sorts by server, then by size. */
    private static String key(Smtp smtp, int recipients) {
        return smtp.ordinal() + "|" + String.format(Locale.ROOT, "%09d", recipients) + "|" + smtp.label;
    }

    /** Starts a fresh mailer, sends one campaign to all its customers, measures, stops it. */
    private Run run(Config config, int customers, boolean profile) throws Exception {
        Path dir = root.resolve("run-" + runNumber.incrementAndGet());
        SmtpSink sink = config.smtp() == Smtp.SINK ? SmtpSink.start(BOUNCES) : null;
        try {
            Map<String, String> settings = new LinkedHashMap<>(Map.of("port", "0", "data-dir", dir.toString(), "rate", "0",
                    "customers", Integer.toString(customers), "smtp-connections", Integer.toString(config.connections()),
                    "max-recipients", Integer.toString(Math.max(customers, 10_000))));
            if (sink == null) {
                settings.put("smtp-port", "0");
            } else {
                settings.put("smtp-host", "127.0.0.1");
                settings.put("smtp-port", Integer.toString(sink.port()));
            }
            long starting = System.nanoTime();
            try (BulkMailer mailer = BulkMailer.start(DemoOptions.parse(settings), config.reuse())) {
                double startSeconds = (System.nanoTime() - starting) / 1e9;
                MailerApi api = MailerApi.connect(mailer.port());
                long heapBefore = heapAfterFullGc();
                GcWatch gc = GcWatch.start();
                SenderProfile recording = profile ? SenderProfile.start(dir.resolve("run.jfr")) : null;
                ThreadCpu cpuBefore = ThreadCpu.now();
                double machineBefore = MachineCpu.busySeconds();
                long openedBefore = mailer.smtp().opened();

                MailerApi.Created created = api.create(CAMPAIGN);
                MailerApi.Ended ended = api.awaitEnd(created, Duration.ofMillis(20), Duration.ofMinutes(3));

                ThreadCpu cpuAfter = ThreadCpu.now();
                double machineCpu = MachineCpu.busySeconds() - machineBefore;
                long opened = mailer.smtp().opened() - openedBefore;
                double seconds = (ended.seenAtNanos() - created.acceptedAtNanos()) / 1e9;
                JsonNode campaign = ended.campaign();
                long sent = campaign.path("sent").asLong();
                long failed = campaign.path("failed").asLong();
                String profileText = "";
                if (recording != null) {
                    try (recording) {
                        profileText = recording.stopAndSummarise((long) (seconds * 1e9) * config.connections(), sent + failed);
                    }
                }
                long peak = gc.stop();
                check(campaign, config, customers, sent, mailer, sink);
                long heapAfter = heapAfterFullGc();
                Run run = new Run(config, customers, seconds, sent, failed, cpuAfter.processNanos() - cpuBefore.processNanos(), machineCpu,
                        cpuAfter.since(cpuBefore), created.latencyNanos() / 1e6, opened, heapBefore, heapAfter, peak,
                        gc.collections(), profileText);
                progress(String.format(Locale.ROOT, "%-18s %d %-15s %,6d recipients: %6.2f s, %6.0f messages/s, %.2f CPUs"
                                + " (machine %.2f), heap %.1f -> %.1f MiB (peak after GC %.1f); start %.1f s, 202 in %.2f s",
                        config.smtp().label, config.connections(), config.reuseLabel(), customers, seconds, run.perSecond(),
                        run.cpuNanos() / 1e9 / seconds, machineCpu / seconds, mib(heapBefore), mib(heapAfter), mib(peak), startSeconds,
                        created.latencyNanos() / 1e9));
                return run;
            }
        } finally {
            if (sink != null) {
                sink.close();
            }
            deleteTree(dir);
        }
    }

    /** The campaign must have reached every recipient, and the SMTP server must hold what it says was sent. */
    private static void check(JsonNode campaign, Config config, int customers, long sent, BulkMailer mailer, SmtpSink sink) {
        if (!campaign.path("state").asText().equals("COMPLETED") || campaign.path("total").asInt() != customers
                || campaign.path("pending").asInt() != 0) {
            throw new IllegalStateException("the campaign must be COMPLETED with " + customers + " recipients and none pending,"
                    + " but was " + campaign);
        }
        long received = sink != null ? sink.accepted() : mailer.embeddedSmtp().orElseThrow().outbox().size();
        if (received != sent) {
            throw new IllegalStateException("the " + config.smtp().label + " must have accepted the " + sent
                    + " messages stored as sent, but accepted " + received);
        }
    }

    private static long heapAfterFullGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The highest heap occupancy left after any collection, from the collectors' notifications. */
    private static final class GcWatch {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicInteger collections = new AtomicInteger();
        private final NotificationListener listener = (notification, handback) -> {
            if (notification.getType().equals("com.sun.management.gc.notification")) {
                CompositeData info = (CompositeData) notification.getUserData();
                long used = com.sun.management.GarbageCollectionNotificationInfo.from(info).getGcInfo()
                        .getMemoryUsageAfterGc().values().stream().mapToLong(java.lang.management.MemoryUsage::getUsed).sum();
                peak.accumulateAndGet(used, Math::max);
                collections.incrementAndGet();
            }
        };

        static GcWatch start() {
            GcWatch watch = new GcWatch();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(watch.listener, null, null);
            }
            return watch;
        }

        long stop() throws Exception {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).removeNotificationListener(listener);
            }
            return peak.get();
        }

        int collections() {
            return collections.get();
        }
    }

    private static String throughputTable(String title, Map<Config, List<Run>> runs, int repeats) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "### %s, %d runs each (median, min–max)%n%n",
                title, repeats));
        out.append("| SMTP server | connections | | messages/s | seconds | CPUs busy: this JVM | whole machine"
                + " | CPU ms per 1,000 messages | SMTP connections opened | 202 in ms |\n"
                + "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        runs.forEach((config, list) -> out.append(String.format(Locale.ROOT, "| %s | %d | %s | **%s** | %s | %s | %s | %s | %s | %s |%n",
                config.smtp().label, config.connections(), config.reuseLabel(),
                stat(list, Run::perSecond, "%.0f"), stat(list, Run::seconds, "%.2f"),
                stat(list, r -> r.cpuNanos() / 1e9 / r.seconds(), "%.2f"), stat(list, r -> r.machineCpuSeconds() / r.seconds(), "%.2f"),
                stat(list, r -> r.cpuNanos() / 1e6 / (r.sent() + r.failed()) * 1000, "%.0f"),
                stat(list, r -> r.opened(), "%.0f"), stat(list, Run::latencyMillis, "%.0f"))));
        return out.append('\n').toString();
    }

    private static String refused(Run run) {
        return String.format(Locale.ROOT, "%d of %,d", run.failed(), run.sent() + run.failed());
    }

    private static String cpuTable(Map<Config, List<Run>> runs) {
        StringBuilder out = new StringBuilder("### CPU per message by thread group, µs (median of the runs)\n\n| thread group |");
        StringBuilder rule = new StringBuilder("|---|");
        runs.keySet().forEach(c -> {
            out.append(' ').append(c.smtp() == Smtp.EMBEDDED ? "GreenMail" : "sink").append(", ").append(c.connections())
                    .append(c.reuse() ? " reused" : " per message").append(" |");
            rule.append("---:|");
        });
        out.append('\n').append(rule).append('\n');
        for (String group : ThreadCpu.GROUPS) {
            out.append("| ").append(group).append(" |");
            runs.values().forEach(list -> out.append(' ').append(String.format(Locale.ROOT, "%.0f",
                    median(list, r -> r.cpuByGroup().get(group) / 1e3 / (r.sent() + r.failed())))).append(" |"));
            out.append('\n');
        }
        out.append("| **all** |");
        runs.values().forEach(list -> out.append(String.format(Locale.ROOT, " **%.0f** |",
                median(list, r -> r.cpuNanos() / 1e3 / (r.sent() + r.failed())))));
        return out.append("\n\n").toString();
    }

    private static String heapTable(Map<String, List<Run>> runs, int repeats) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "### Heap: 4 reused connections, %d runs each"
                + " (median, min–max), MiB%n%n", repeats));
        out.append("| SMTP server | recipients | heap after GC, before | after GC, at the end | growth | growth per recipient, bytes"
                + " | peak after a GC during the run | collections during the run |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        runs.forEach((key, list) -> out.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s |%n",
                key.split("\\|")[2], list.get(0).recipients(), stat(list, r -> mib(r.heapBefore()), "%.1f"),
                stat(list, r -> mib(r.heapAfter()), "%.1f"), stat(list, r -> mib(r.heapAfter() - r.heapBefore()), "%.1f"),
                stat(list, r -> (double) (r.heapAfter() - r.heapBefore()) / r.recipients(), "%.0f"),
                stat(list, r -> mib(r.peakAfterGc()), "%.1f"), stat(list, r -> r.collections(), "%.0f"))));
        return out.append('\n').toString();
    }

    private static <T> String stat(List<T> values, ToDoubleFunction<T> f, String format) {
        double[] sorted = values.stream().mapToDouble(f).sorted().toArray();
        String median = String.format(Locale.ROOT, format, median(values, f));
        return sorted.length == 1 ? median : median + " (" + String.format(Locale.ROOT, format, sorted[0]) + "–"
                + String.format(Locale.ROOT, format, sorted[sorted.length - 1]) + ")";
    }

    private static <T> double median(List<T> values, ToDoubleFunction<T> f) {
        double[] sorted = values.stream().mapToDouble(f).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    private static String jvm() {
        Runtime runtime = Runtime.getRuntime();
        return String.format(Locale.ROOT, "JVM: %s %s, %d CPUs, max heap %.0f MiB, collectors %s, arguments %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), runtime.availableProcessors(),
                mib(runtime.maxMemory()), ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName).toList(),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void progress(String line) {
        System.err.println("[bench] " + line);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
