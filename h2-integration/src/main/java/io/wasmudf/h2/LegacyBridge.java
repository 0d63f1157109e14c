package io.wasmudf.h2;

import io.wasmudf.sql.Hex;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * Reads the two facts that catalogs of the first releases kept only in their bridge class names
 * ({@code io.wasmudf.h2.bridge.W1_<hex fields>}, {@code W2_…}): the function's display name and
 * whether its export returns a packed option. Used once, when such a catalog is migrated.
 */
final class LegacyBridge {
    private LegacyBridge() {}

    /** The two facts, or null if {@code aliasTarget} is not a legacy bridge. */
    record Facts(String display, boolean packedResult) {}

    static Facts read(String aliasTarget) {
        String cls = BridgeNames.classOfTarget(aliasTarget);
        if (!cls.startsWith(BridgeNames.PREFIX + "1_") && !cls.startsWith(BridgeNames.PREFIX + "2_")) {
            return null;
        }
        String[] f = cls.substring(BridgeNames.PREFIX.length()).split("_", -1);
        if (f.length < 7) {
            return null;
        }
        try {
            String display = new String(Hex.decode(f[1], "bridge class name"), StandardCharsets.UTF_8);
            String nulls = new String(Hex.decode(f[6], "bridge class name"), StandardCharsets.UTF_8);
            return new Facts(display, nulls.equals("P"));
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }
}
