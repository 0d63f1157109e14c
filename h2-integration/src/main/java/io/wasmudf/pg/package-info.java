/**
 * A PostgreSQL frontend/backend protocol (3.0) server in front of JDBC connections, so psql,
 * pgJDBC and other PostgreSQL clients can use a WasmUDF database.
 *
 * <p>Shape, top to bottom: {@link io.wasmudf.pg.PgServer} accepts sockets (one thread per client,
 * bounded) and hands each to a {@code PgConnection}, which runs startup (SSLRequest, optional TLS,
 * trust or SCRAM-SHA-256 via {@code ScramExchange}), then the simple and extended query protocols.
 * A {@code Session} owns the client's JDBC connection, its settings and transaction state, and
 * executes statements. Every statement first passes {@code StatementClassifier}, which lexes it as
 * H2 will ({@code StatementLexer}), refuses what no client may do ({@code HostAccessPolicy}) and
 * routes it: session commands (BEGIN, SET, SHOW...) are answered by {@code SessionCommands}, role
 * commands by {@code RoleCommands}, catalog queries by {@code CatalogQueries}/{@code PsqlDescribe},
 * {@code COPY} (parsed by {@code CopyStatement}) by {@code CopyCommand}, which speaks the
 * CopyIn/CopyOut sub-protocol, cuts the input into records ({@code CopyRecords}) and fields
 * ({@code CopyFormat}), and writes each row with an INSERT or reads it with a query that passes
 * the classifier like any statement; the rest goes to the database. {@code PgType}/{@code PgCodec} map values to type OIDs and the text and
 * binary wire formats; {@code PgErrors} maps H2 errors to PostgreSQL SQLSTATEs (the codes:
 * {@code io.wasmudf.sql.SqlStates}).
 *
 * <p>Why catalog queries are answered rather than run: H2's own {@code pg_catalog} has an empty
 * {@code pg_proc} and lacks functions psql needs ({@code pg_get_function_result},
 * {@code pg_function_is_visible}, the {@code OPERATOR(pg_catalog.~)} syntax...). Rewriting psql's
 * SQL for H2 would be open-ended, so the queries psql and pgJDBC send are recognised by shape and
 * answered from {@link java.sql.DatabaseMetaData} plus the {@code wasm.functions} catalog. Values
 * are computed per select item, so the answers follow the column list the client actually sent
 * (it varies between psql versions and the "+" variants). A query is a catalog query only when one
 * of its FROM items is a pg_catalog relation (names in literals, comments or column lists never
 * count). An unrecognised one is refused with 0A000, except queries that inner-join a relation
 * that is empty in this server (policies, publications, inheritance...), whose true answer is no rows.
 *
 * <p>Transactions follow PostgreSQL: statements of one Query message, or between two Syncs, form
 * an implicit transaction; an error inside BEGIN...COMMIT makes the block fail (25P02) until
 * ROLLBACK, and COMMIT of a failed block rolls back.
 *
 * <p>Names: PostgreSQL folds unquoted identifiers to lower case, H2 (by default) to upper case.
 * Catalog answers and result labels show all-upper-case names in lower case, so
 * {@code create table t} is {@code t} in {@code \dt} and {@code select 1 as x} is labelled
 * {@code x}, as with PostgreSQL.
 */
package io.wasmudf.pg;
