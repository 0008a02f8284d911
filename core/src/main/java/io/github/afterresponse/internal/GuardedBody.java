package io.github.afterresponse.internal;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.Collection;
import java.util.stream.Stream;

/**
 * The request body as the servlet reads it, guarded like the request itself: the container's
 * input stream, reader and parts are recycled with the request, and on Jetty a stale input stream
 * read the next request's body on the same connection. Every call checks the guard first,
 * including those that a buffer could answer without reading (the reader's read-ahead) and the
 * streams a part gives (Jetty's multipart content lives in pooled buffers).
 */
final class GuardedBody {

    private GuardedBody() {}

    /** A guarded body that can let go of the container's stream or reader once the servlet has returned. */
    interface Releasable {
        /** Drops the container's object; the guard refuses every call from then on. */
        void release();
    }

    static ServletInputStream stream(ServletInputStream in, Guard guard) {
        return new GuardedStream(in, guard);
    }

    /** The request's reader: its buffer, too, is read only while the request is live. */
    static BufferedReader reader(BufferedReader in, Guard guard) {
        return new GuardedReader(in, guard);
    }

    static Part part(Part part, Guard guard) {
        return new GuardedPart(part, guard);
    }

    /**
     * The request's input stream, or a part's content (a plain input stream, whose servlet-only
     * methods nobody can reach through the {@code InputStream} that {@code Part} declares).
     */
    private static final class GuardedStream extends ServletInputStream implements Releasable {
        private volatile InputStream in;
        private final Guard guard;

        GuardedStream(InputStream in, Guard guard) {
            this.in = in;
            this.guard = guard;
        }

        private InputStream live() {
            guard.checkRequest();
            return in;
        }

        @Override
        public void release() {
            in = Gone.STREAM;
        }

        private ServletInputStream servletStream() {
            if (live() instanceof ServletInputStream stream) {
                return stream;
            }
            throw new UnsupportedOperationException("not a request's input stream");
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
            return in instanceof ServletInputStream ? servletStream().readLine(bytes, offset, length)
                    : super.readLine(bytes, offset, length);
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
            return servletStream().isFinished();
        }

        @Override
        public boolean isReady() {
            return servletStream().isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            servletStream().setReadListener(listener);
        }
    }

    /**
     * Reads through the container's reader and checks the guard on every call, so that not even
     * the characters it already read ahead are handed out once the request is gone.
     */
    /** Where a released reader points; never read, since the guard refuses every call first. */
    private static final BufferedReader GONE_READER = new BufferedReader(Reader.nullReader(), 1);

    private static final class GuardedReader extends BufferedReader implements Releasable {
        private volatile BufferedReader in;
        private final Guard guard;

        GuardedReader(BufferedReader in, Guard guard) {
            super(Reader.nullReader(), 1);
            this.in = in;
            this.guard = guard;
        }

        private BufferedReader live() {
            guard.checkRequest();
            return in;
        }

        @Override
        public void release() {
            in = GONE_READER;
        }

        @Override
        public int read() throws IOException {
            return live().read();
        }

        @Override
        public int read(char[] chars, int offset, int length) throws IOException {
            return live().read(chars, offset, length);
        }

        @Override
        public String readLine() throws IOException {
            return live().readLine();
        }

        @Override
        public long skip(long count) throws IOException {
            return live().skip(count);
        }

        @Override
        public boolean ready() throws IOException {
            return live().ready();
        }

        @Override
        public boolean markSupported() {
            return live().markSupported();
        }

        @Override
        public void mark(int readAheadLimit) throws IOException {
            live().mark(readAheadLimit);
        }

        @Override
        public void reset() throws IOException {
            live().reset();
        }

        /** Each line through {@link #readLine()}: checked before it is read, not after. */
        @Override
        public Stream<String> lines() {
            guard.checkRequest();
            return super.lines();
        }

        @Override
        public void close() throws IOException {
            live().close();
        }
    }

    private static final class GuardedPart implements Part, Releasable {
        private volatile Part part;
        private final Guard guard;

        GuardedPart(Part part, Guard guard) {
            this.part = part;
            this.guard = guard;
        }

        private Part live() {
            guard.checkRequest();
            return part;
        }

        @Override
        public void release() {
            part = Gone.PART;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return new GuardedStream(live().getInputStream(), guard);
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
