package io.wasmudf.h2;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of bridge classes: {@code io.wasmudf.h2.bridge.W_<database>_<function>_<version>},
 * a stable id per database (H2's class lookup is JVM-wide, function ids are per database), the
 * function's id and its version. The class looks everything else up in its database's
 * {@link CatalogService}. Names of the first releases ({@code W1_…}, {@code W2_…}) encoded the
 * whole definition and are recognised only to migrate them ({@link LegacyBridge}).
 */
final class BridgeNames {
    static final String PACKAGE = "io.wasmudf.h2.bridge.";
    static final String PREFIX = PACKAGE + "W";
    static final String METHOD = "call";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "_([0-9a-f]{16})_(\\d{1,18})_(\\d{1,9})");
    /** An overloaded name's dispatching class: {@code W_<database>_O_<id>_<version>_<id>_<version>…}, its functions by id. */
    private static final Pattern GROUP = Pattern.compile(Pattern.quote(PREFIX) + "_([0-9a-f]{16})_O((?:_\\d{1,18}_\\d{1,9})+)");

    private BridgeNames() {}

    /** What a bridge class name says. */
    record Parsed(String databaseId, long functionId, int version) {}

    /** What an overloaded name's class name says: the database and its functions' ids and versions, in id order. */
    record ParsedGroup(String databaseId, long[] functionIds, int[] versions) {}

    /** The dispatching class of the overloads {@code ids}/{@code versions} (in id order), which fix its content. */
    static String groupClassName(String databaseId, long[] ids, int[] versions) {
        StringBuilder sb = new StringBuilder(PREFIX).append('_').append(databaseId).append("_O");
        for (int i = 0; i < ids.length; i++) {
            sb.append('_').append(ids[i]).append('_').append(versions[i]);
        }
        return sb.toString();
    }

    /** The parts of an overloaded name's class name, or null for anything else. */
    static ParsedGroup parseGroup(String className) {
        Matcher m = GROUP.matcher(className);
        if (!m.matches()) {
            return null;
        }
        String[] parts = m.group(2).substring(1).split("_");
        long[] ids = new long[parts.length / 2];
        int[] versions = new int[parts.length / 2];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Long.parseLong(parts[2 * i]);
            versions[i] = Integer.parseInt(parts[2 * i + 1]);
        }
        return new ParsedGroup(m.group(1), ids, versions);
    }

    static String className(String databaseId, long functionId, int version) {
        return PREFIX + "_" + databaseId + "_" + functionId + "_" + version;
    }

    /** The H2 alias target, {@code class.method}. */
    static String aliasTarget(String databaseId, long functionId, int version) {
        return className(databaseId, functionId, version) + "." + METHOD;
    }

    /** Whether H2 should ask our class factory for {@code className}. */
    static boolean isBridge(String className) {
        return className.startsWith(PREFIX);
    }

    /** The parts of a current bridge class name, or null for anything else (including legacy names). */
    static Parsed parse(String className) {
        Matcher m = NAME.matcher(className);
        if (!m.matches()) {
            return null;
        }
        return new Parsed(m.group(1), Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)));
    }

    /** The class of an alias target {@code class.method}. */
    static String classOfTarget(String aliasTarget) {
        int dot = aliasTarget.lastIndexOf('.');
        return dot < 0 ? aliasTarget : aliasTarget.substring(0, dot);
    }
}
