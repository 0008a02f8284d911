package io.github.afterresponse.internal;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.Collection;

/**
 * The request body as the servlet reads it, guarded like the request itself: the container's
 * input stream, reader and parts are recycled with the request, and on Jetty a stale input stream
 * read the next request's body on the same connection. Every call checks the exchange first.
 */
final class GuardedBody {

    private GuardedBody() {}

    static ServletInputStream stream(ServletInputStream in, Exchange exchange) {
        return new Stream(in, exchange);
    }

    static Reader reader(Reader in, Exchange exchange) {
        return new GuardedReader(in, exchange);
    }

    static Part part(Part part, Exchange exchange) {
        return new GuardedPart(part, exchange);
    }

    private static final class Stream extends ServletInputStream {
        private final ServletInputStream in;
        private final Exchange exchange;

        Stream(ServletInputStream in, Exchange exchange) {
            this.in = in;
            this.exchange = exchange;
        }

        private ServletInputStream live() {
            exchange.checkRequestLive();
            return in;
        }

        @Override
        public int read() throws IOException {
            return live().read();
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            return live().read(bytes, offset, length);
        }

        @Override
        public int readLine(byte[] bytes, int offset, int length) throws IOException {
            return live().readLine(bytes, offset, length);
        }

        @Override
        public long skip(long count) throws IOException {
            return live().skip(count);
        }

        @Override
        public int available() throws IOException {
            return live().available();
        }

        @Override
        public void close() throws IOException {
            live().close();
        }

        @Override
        public boolean isFinished() {
            return live().isFinished();
        }

        @Override
        public boolean isReady() {
            return live().isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            live().setReadListener(listener);
        }
    }

    private static final class GuardedReader extends Reader {
        private final Reader in;
        private final Exchange exchange;

        GuardedReader(Reader in, Exchange exchange) {
            this.in = in;
            this.exchange = exchange;
        }

        private Reader live() {
            exchange.checkRequestLive();
            return in;
        }

        @Override
        public int read(char[] chars, int offset, int length) throws IOException {
            return live().read(chars, offset, length);
        }

        @Override
        public boolean ready() throws IOException {
            return live().ready();
        }

        @Override
        public void close() throws IOException {
            live().close();
        }
    }

    private static final class GuardedPart implements Part {
        private final Part part;
        private final Exchange exchange;

        GuardedPart(Part part, Exchange exchange) {
            this.part = part;
            this.exchange = exchange;
        }

        private Part live() {
            exchange.checkRequestLive();
            return part;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return live().getInputStream();
        }

        @Override
        public String getContentType() {
            return live().getContentType();
        }

        @Override
        public String getName() {
            return live().getName();
        }

        @Override
        public String getSubmittedFileName() {
            return live().getSubmittedFileName();
        }

        @Override
        public long getSize() {
            return live().getSize();
        }

        @Override
        public void write(String fileName) throws IOException {
            live().write(fileName);
        }

        @Override
        public void delete() throws IOException {
            live().delete();
        }

        @Override
        public String getHeader(String name) {
            return live().getHeader(name);
        }

        @Override
        public Collection<String> getHeaders(String name) {
            return live().getHeaders(name);
        }

        @Override
        public Collection<String> getHeaderNames() {
            return live().getHeaderNames();
        }
    }
}
