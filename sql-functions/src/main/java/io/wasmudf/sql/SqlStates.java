package io.wasmudf.sql;

import java.sql.SQLException;

/**
 * The PostgreSQL SQLSTATEs the project raises — for wasm functions, their DDL and catalog, and the
 * wire server's protocol — in one place, and a factory for them. How an engine failure maps to
 * one of them is {@link SqlErrors}'s business.
 */
public final class SqlStates {
    /** syntax_error */
    public static final String SYNTAX_ERROR = "42601";
    /** undefined_function (also: unknown module) */
    public static final String UNDEFINED_FUNCTION = "42883";
    /** invalid_function_definition */
    public static final String INVALID_FUNCTION_DEFINITION = "42P13";
    /** duplicate_function */
    public static final String DUPLICATE_FUNCTION = "42723";
    /** ambiguous_function: a call or a name without argument types that several functions match. */
    public static final String AMBIGUOUS_FUNCTION = "42725";
    /** insufficient_privilege */
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** invalid_schema_name */
    public static final String INVALID_SCHEMA_NAME = "3F000";
    /** invalid_parameter_value */
    public static final String INVALID_PARAMETER_VALUE = "22023";
    /** string_data_length_mismatch (a bytea passed as a v128 that is not 16 bytes long) */
    public static final String STRING_DATA_LENGTH_MISMATCH = "22026";
    /** numeric_value_out_of_range */
    public static final String NUMERIC_OUT_OF_RANGE = "22003";
    /** character_not_in_repertoire (invalid UTF-8 from a guest) */
    public static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";
    /** datetime_field_overflow (PostgreSQL's "date out of range", "timestamp out of range", "interval out of range") */
    public static final String DATETIME_OUT_OF_RANGE = "22008";
    /** array_subscript_error (an array result whose length or element block does not fit the guest's memory) */
    public static final String ARRAY_SUBSCRIPT_ERROR = "2202E";
    /** invalid_text_representation */
    public static final String INVALID_TEXT_REPRESENTATION = "22P02";
    /** external_routine_exception: a trap or guest error while running a function */
    public static final String EXTERNAL_ROUTINE_EXCEPTION = "38000";
    /** query_canceled: statement cancel or query timeout stopped a running guest */
    public static final String QUERY_CANCELED = "57014";
    /** out_of_memory: a wasm memory limit (per instance or per database) refused memory */
    public static final String OUT_OF_MEMORY = "53200";
    /** too_many_connections */
    public static final String TOO_MANY_CONNECTIONS = "53300";
    /** program_limit_exceeded: fuel exhausted, or a module over a size or table limit */
    public static final String PROGRAM_LIMIT_EXCEEDED = "54000";
    /** statement_too_complex (PostgreSQL's "stack depth limit exceeded"): wasm call stack exhausted */
    public static final String STATEMENT_TOO_COMPLEX = "54001";
    /** dependent_objects_still_exist */
    public static final String DEPENDENT_OBJECTS_STILL_EXIST = "2BP01";
    /** datatype_mismatch (e.g. an aggregate's transition function returning another type than STYPE) */
    public static final String DATATYPE_MISMATCH = "42804";
    /** wrong_object_type (e.g. DROP FUNCTION of an aggregate) */
    public static final String WRONG_OBJECT_TYPE = "42809";
    /** feature_not_supported */
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    /** undefined_object (e.g. an unknown LANGUAGE) */
    public static final String UNDEFINED_OBJECT = "42704";
    /** internal_error: a defect of ours (an engine bug), never the guest's or the user's fault */
    public static final String INTERNAL_ERROR = "XX000";
    /** read_only_sql_transaction: a write in a READ ONLY transaction */
    public static final String READ_ONLY_SQL_TRANSACTION = "25006";
    /** protocol_violation */
    public static final String PROTOCOL_VIOLATION = "08P01";
    /** in_failed_sql_transaction */
    public static final String IN_FAILED_TRANSACTION = "25P02";
    /** invalid_catalog_name (unknown database) */
    public static final String INVALID_CATALOG_NAME = "3D000";
    /** invalid_password */
    public static final String INVALID_PASSWORD = "28P01";
    /** invalid_authorization_specification */
    public static final String INVALID_AUTHORIZATION = "28000";
    /** admin_shutdown */
    public static final String ADMIN_SHUTDOWN = "57P01";
    /** invalid_sql_statement_name */
    public static final String INVALID_STATEMENT_NAME = "26000";
    /** duplicate_prepared_statement */
    public static final String DUPLICATE_PREPARED_STATEMENT = "42P05";
    /** invalid_cursor_name */
    public static final String INVALID_CURSOR_NAME = "34000";

    private SqlStates() {}

    public static SQLException error(String sqlState, String message) {
        return new SQLException(message, sqlState);
    }

    /** An error with PostgreSQL's HINT field ({@link HintedSQLException}); a null hint gives a plain error. */
    public static SQLException hinted(String sqlState, String message, String hint) {
        return hint == null ? error(sqlState, message) : new HintedSQLException(sqlState, message, hint);
    }

    public static SQLException error(String sqlState, String message, Throwable cause) {
        return new SQLException(message, sqlState, cause);
    }
}
