package io.wasmudf.pg;

/** A process entry point for {@link ServeMainProcessTest} (the real CLI delegates to ServeMain the same way). */
public final class ServeLauncher {
    private ServeLauncher() {
    }

    public static void main(String[] args) {
        System.exit(ServeMain.run(args));
    }
}
