package io.wasmudf.pg;

/** The immutable configuration of a running server, shared by its connections. */
record ServerSettings(String databaseName, String user, String password, String serverVersion, int maxMessageLength,
        boolean allowHostAccess) {
    /** server_version_num derived from server_version ("15.0" -> "150000"). */
    String serverVersionNum() {
        String[] parts = serverVersion.split("[.\\s]");
        int major = Integer.parseInt(parts[0]);
        int minor = parts.length > 1 && parts[1].matches("\\d+") ? Integer.parseInt(parts[1]) : 0;
        return Integer.toString(major * 10000 + minor);
    }
}
