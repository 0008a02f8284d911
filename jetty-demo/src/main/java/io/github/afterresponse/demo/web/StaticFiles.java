package io.github.afterresponse.demo.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The style sheet and the script, read once from the class path ({@code /static/}). Only the files
 * named here are served; their URLs carry a hash of the content, so a browser may keep them for a
 * day and still gets a new version at once.
 */
final class StaticFiles {

    /** One file: its bytes, content type and the version its URL carries. */
    private record File(byte[] bytes, String contentType, String version) {
    }

    static final String CSS = "mailer.css";
    static final String JS = "mailer.js";

    private final Map<String, File> files = new LinkedHashMap<>();

    StaticFiles() {
        add(CSS, "text/css;charset=UTF-8");
        add(JS, "text/javascript;charset=UTF-8");
    }

    private void add(String name, String contentType) {
        try (InputStream in = StaticFiles.class.getResourceAsStream("/static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the class path lacks /static/" + name);
            }
            byte[] bytes = in.readAllBytes();
            String version = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
            files.put(name, new File(bytes, contentType, version));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URL of a file, with its version. */
    String url(String name) {
        return "/static/" + name + "?v=" + files.get(name).version();
    }

    /**
     * Answers {@code GET /static/NAME}.
     *
     * @return false if there is no such file (the caller answers 404)
     */
    boolean serve(String name, HttpServletResponse response) throws IOException {
        Optional<File> file = Optional.ofNullable(files.get(name));
        if (file.isEmpty()) {
            return false;
        }
        response.setStatus(200);
        response.setContentType(file.get().contentType());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "public, max-age=86400");
        response.setContentLength(file.get().bytes().length);
        response.getOutputStream().write(file.get().bytes());
        return true;
    }
}
