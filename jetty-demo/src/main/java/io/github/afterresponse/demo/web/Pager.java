package io.github.afterresponse.demo.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.function.IntFunction;

/**
 * One page of a long list: which rows it shows, read from an offset parameter, and the links to
 * the pages before and after it.
 */
record Pager(int offset, int limit, long total) {

    /** A query parameter the page cannot use: answered 400 with this message. */
    static final class BadParameter extends Exception {
        BadParameter(String message) {
            super(message);
        }
    }

    /**
     * The page the parameter asks for; absent means the first.
     *
     * @throws BadParameter if the parameter is not a whole number from 0
     */
    static Pager of(HttpServletRequest request, String parameter, int limit, long total) throws BadParameter {
        String value = request.getParameter(parameter);
        if (value == null || value.isEmpty()) {
            return new Pager(0, limit, total);
        }
        try {
            int offset = Integer.parseInt(value);
            if (offset >= 0) {
                return new Pager(offset, limit, total);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new BadParameter(parameter + " must be a whole number from 0, but was '" + value + "'");
    }

    /**
     * "21–40 of 133" with links to the neighbouring pages, or nothing if all rows fit on one.
     *
     * @param link the URL of the page at an offset (already escaped for an attribute)
     */
    String nav(String id, IntFunction<String> link) {
        if (total <= limit && offset == 0) {
            return "";
        }
        StringBuilder html = new StringBuilder("<nav class=\"pager\" id=\"").append(id).append("\" aria-label=\"Pages\">");
        if (offset > 0) {
            html.append("<a rel=\"prev\" href=\"").append(link.apply(Math.max(0, offset - limit))).append("\">← Previous</a>");
        }
        long last = Math.min(total, (long) offset + limit);
        html.append("<span>").append(total == 0 || offset >= total ? "none" : Html.count(offset + 1L) + "–" + Html.count(last))
                .append(" of ").append(Html.count(total)).append("</span>");
        if (last < total) {
            html.append("<a rel=\"next\" href=\"").append(link.apply(offset + limit)).append("\">Next →</a>");
        }
        return html.append("</nav>").toString();
    }
}
