package io.github.afterresponse.internal;

import jakarta.servlet.ServletConnection;

/**
 * What {@code getServletConnection()} said, copied when the servlet asked: the container's object
 * describes a connection that may serve other requests (and, behind a proxy, other clients) once
 * this exchange has been handed back, while these four values never change for it.
 */
record ConnectionCopy(String getConnectionId, String getProtocol, String getProtocolConnectionId, boolean isSecure)
        implements ServletConnection {

    static ServletConnection of(ServletConnection connection) {
        return new ConnectionCopy(connection.getConnectionId(), connection.getProtocol(),
                connection.getProtocolConnectionId(), connection.isSecure());
    }
}
