package io.github.afterresponse.demo.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A minimal SMTP server on 127.0.0.1 that answers like a real one and keeps nothing: every
 * message is read to its final dot and dropped. The benchmark uses it next to the embedded
 * GreenMail, which keeps every message in memory, to see the mailer's own heap and throughput.
 * It refuses (550 at RCPT) the addresses matching a pattern, as the embedded server does.
 */
public final class SmtpSink implements AutoCloseable {

    private final ServerSocket server;
    private final Pattern refuse;
    private final Thread acceptor;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final List<Thread> handlers = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionNumber = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();

    private SmtpSink(ServerSocket server, Pattern refuse) {
        this.server = server;
        this.refuse = refuse;
        this.acceptor = new Thread(this::accept, "smtp-sink-accept");
        this.acceptor.setDaemon(true);
    }

    /** Starts it on a free port of 127.0.0.1. */
    public static SmtpSink start(Pattern refuse) throws IOException {
        SmtpSink sink = new SmtpSink(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), refuse);
        sink.acceptor.start();
        return sink;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Messages it accepted (250 after DATA). */
    public long accepted() {
        return accepted.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                clients.add(client);
                Thread handler = new Thread(() -> serve(client), "smtp-sink-" + connectionNumber.incrementAndGet());
                handler.setDaemon(true);
                handlers.add(handler);
                handler.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream());
            reply(out, "220 127.0.0.1 sink ESMTP");
            int recipients = 0;
            for (String line; (line = readLine(in)) != null; ) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                switch (command) {
                    case "EHLO" -> reply(out, "250-127.0.0.1\r\n250-8BITMIME\r\n250 PIPELINING");
                    case "HELO" -> reply(out, "250 127.0.0.1");
                    case "MAIL" -> {
                        recipients = 0;
                        reply(out, "250 2.1.0 OK");
                    }
                    case "RCPT" -> {
                        String address = line.replaceAll("(?i)^RCPT TO:\\s*<?([^>\\s]*)>?.*$", "$1");
                        if (refuse.matcher(address).matches()) {
                            reply(out, "550 5.1.1 <" + address + ">: mailbox unavailable");
                        } else {
                            recipients++;
                            reply(out, "250 2.1.5 OK");
                        }
                    }
                    case "DATA" -> {
                        if (recipients == 0) {
                            reply(out, "503 5.5.1 no valid recipients");
                        } else {
                            reply(out, "354 end with <CRLF>.<CRLF>");
                            for (String data; (data = readLine(in)) != null && !data.equals("."); ) {
                                // dropped
                            }
                            accepted.incrementAndGet();
                            reply(out, "250 2.0.0 OK");
                        }
                    }
                    case "RSET" -> {
                        recipients = 0;
                        reply(out, "250 2.0.0 OK");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 OK");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away, or close() closed the socket
        } finally {
            clients.remove(client);
            handlers.remove(Thread.currentThread());
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One line without its CRLF (or LF), or null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Closes the listening socket and every connection, and waits for their threads. */
    @Override
    public void close() throws InterruptedException {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        acceptor.join(5_000);
        for (Thread handler : handlers) {
            handler.join(5_000);
        }
    }
}
