package io.wasmudf.engine.testsupport;

/** Sets a system property for a test and puts back what it was. */
public final class SystemProperties {
    private SystemProperties() {}

    /** Sets {@code name} to {@code value} (null clears it) and returns what it was, for {@link #restore}. */
    public static String set(String name, String value) {
        String before = System.getProperty(name);
        restore(name, value);
        return before;
    }

    /** Puts {@code name} back to {@code before}, cleared when it was not set. */
    public static void restore(String name, String before) {
        if (before == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, before);
        }
    }
}
