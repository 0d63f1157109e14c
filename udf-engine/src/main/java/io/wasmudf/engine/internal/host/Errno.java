package io.wasmudf.engine.internal.host;

/** The WASI preview1 {@code errno} values this host returns. */
final class Errno {
    static final int SUCCESS = 0;
    static final int BADF = 8;
    static final int FAULT = 21;
    static final int INVAL = 28;
    static final int NOTDIR = 54;
    static final int NOTSUP = 58;
    static final int SPIPE = 70;
    static final int NOTCAPABLE = 76;

    private Errno() {}
}
