package io.wasmudf.pg;

import java.io.IOException;

/** The client broke the wire protocol; the connection is answered with 08P01 and dropped. */
final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
        super(message);
    }
}
