package dev.safemigrate.dialect.postgres;

import dev.safemigrate.core.spi.CheckCatalog;
import dev.safemigrate.core.spi.CheckPolicy;
import dev.safemigrate.core.spi.CheckSql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a check may use on PostgreSQL, read from the catalog. A function may be called only if every
 * function of that name the check could reach is built in and not volatile: PostgreSQL marks every
 * built-in with an effect volatile (setval, nextval, the pg_advisory_* locks, set_config,
 * pg_terminate_backend, lo_import/lo_export, pg_read_file, pg_sleep, pg_notify ...), and a user's or an
 * extension's function (dblink) can do anything whatever it is marked. The same holds for the functions
 * behind user-defined operators and casts, and for the views, row-level security policies and domain
 * checks the check reaches ({@link #definitions}); and the few stable built-ins that read a relation
 * named by a string ({@code table_to_xml}) are refused. Foreign tables are refused: reading one runs its
 * wrapper, which may connect elsewhere or run a program. Built in means created by initdb: an oid below
 * 16384 (FirstNormalObjectId) in pg_catalog or information_schema.
 */
final class PostgresCheckPolicy implements CheckPolicy {
    /** The function {@code p}, in the namespace {@code pn}, is volatile or not built in. */
    private static final String RISKY_FUNCTION = risky("pn");
    /** Unqualified names resolve through the search path; qualified ones in their schema. */
    private static final String IN_SCOPE = "CASE WHEN q.qualifier IS NULL THEN n.nspname = ANY (current_schemas(true))"
            + " ELSE lower(n.nspname) = lower(q.qualifier) END";
    /**
     * Stable built-ins that read relations named at run time (by a string, so no view name appears in
     * the check): a view read that way could call anything.
     */
    private static final Map<String, String> READS_NAMED_RELATIONS = readsNamedRelations();

    private static Map<String, String> readsNamedRelations() {
        Map<String, String> functions = new LinkedHashMap<>();
        for (String scope : List.of("table", "schema", "database")) {
            for (String suffix : List.of("_to_xml", "_to_xmlschema", "_to_xml_and_xmlschema")) {
                functions.put(scope + suffix, "reads tables and views named at run time, whose definitions cannot be checked first");
            }
        }
        return Map.copyOf(functions);
    }

    /** Operators the grammar applies without writing them: IN, CASE, BETWEEN, LIKE, ILIKE, SIMILAR TO, DISTINCT FROM. */
    private static final Set<String> IMPLICIT_OPERATORS = Set.of("=", "<>", "<", ">", "<=", ">=", "~~", "~~*", "!~~", "!~~*", "~", "!~");

    /** Created by initdb: {@code %s} is the alias of the function's namespace. */
    private static final String BUILT_IN = "(p.oid < 16384 AND %s.nspname IN ('pg_catalog', 'information_schema'))";

    private static String risky(String namespace) {
        return "(p.provolatile = 'v' OR NOT " + BUILT_IN.formatted(namespace) + ")";
    }

    @Override
    public List<String> refusals(CheckSql check, Connection connection) throws SQLException {
        List<String> refusals = new ArrayList<>(CheckCatalog.deniedCalls(check, READS_NAMED_RELATIONS));
        refusals.addAll(functions(check, connection));
        refusals.addAll(operators(check, connection));
        refusals.addAll(casts(check, connection));
        try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
                + " FROM unnest(?::text[], ?::text[]) AS q(qualifier, name) JOIN pg_class c ON lower(c.relname) = lower(q.name)"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'f' AND " + IN_SCOPE + " ORDER BY 1")) {
            bindNames(statement, check.names());
            for (String table : strings(statement)) {
                refusals.add("reads the foreign table " + table + ": reading it runs its foreign-data wrapper, which may connect elsewhere or run a program");
            }
        }
        return refusals;
    }

    /**
     * Called names, and names after a dot, which PostgreSQL may read as a call in attribute notation
     * ({@code t.f} and {@code (row).f} are {@code f(t)} when there is no column {@code f}).
     */
    private static List<String> functions(CheckSql check, Connection connection) throws SQLException {
        List<CheckSql.Name> names = new ArrayList<>(check.functionCalls());
        List<Boolean> calls = new ArrayList<>(names.stream().map(n -> true).toList());
        List<CheckSql.Token> tokens = check.tokens();
        for (int i = 1; i < tokens.size(); i++) {
            if (tokens.get(i).isName() && tokens.get(i - 1).is(".")) {
                names.add(new CheckSql.Name(null, tokens.get(i).name()));
                calls.add(false);
            }
        }
        String sql = "SELECT DISTINCT q.name, p.oid::regprocedure::text, " + BUILT_IN.formatted("n") + " AS built_in"
                + " FROM unnest(?::text[], ?::text[], ?::boolean[]) AS q(qualifier, name, call)"
                + " JOIN pg_proc p ON lower(p.proname) = lower(q.name) JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE " + IN_SCOPE + " AND (q.call OR p.pronargs = 1) AND " + risky("n") + " ORDER BY 1, 3, 2";
        Map<String, String> found = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bindNames(statement, names);
            statement.setArray(3, connection.createArrayOf("bool", calls.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    found.putIfAbsent(rs.getString(1), "calls " + rs.getString(1) + " (" + rs.getString(2) + (rs.getBoolean(3)
                            ? " is volatile: it may change data, sequences, locks, settings or files)"
                            : " is not built into PostgreSQL: a user's or an extension's function can do anything)"));
                }
            }
        }
        return List.copyOf(found.values());
    }

    /** User operators through a risky function, in the search path or a schema the check names, that the check writes or the grammar applies. */
    private static List<String> operators(CheckSql check, Connection connection) throws SQLException {
        List<String> refusals = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT o.oprname, o.oid::regoperator::text"
                + " FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace JOIN pg_proc p ON p.oid = o.oprcode"
                + " JOIN pg_namespace pn ON pn.oid = p.pronamespace WHERE o.oid >= 16384 AND " + RISKY_FUNCTION
                + " AND (n.nspname = ANY (current_schemas(true)) OR lower(n.nspname) = ANY (?::text[])) ORDER BY 1, 2")) {
            statement.setArray(1, connection.createArrayOf("text", lowerNames(check).toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (IMPLICIT_OPERATORS.contains(name) || check.operators().stream().anyMatch(run -> run.contains(name))) {
                        refusals.add("may use the operator " + rs.getString(2) + ", whose function is volatile or not built in");
                    }
                }
            }
        }
        return refusals;
    }

    /**
     * User casts through a risky function: those to or from a type the check names, and the implicit
     * ones (applied unwritten) of a type in the search path.
     */
    private static List<String> casts(CheckSql check, Connection connection) throws SQLException {
        Set<String> names = new LinkedHashSet<>(lowerNames(check));
        List<String> refusals = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT format_type(c.castsource, NULL), format_type(c.casttarget, NULL),"
                + " c.castcontext = 'i' AND (sn.nspname = ANY (current_schemas(true)) OR tn.nspname = ANY (current_schemas(true))),"
                + " lower(st.typname), lower(tt.typname) FROM pg_cast c JOIN pg_proc p ON p.oid = c.castfunc"
                + " JOIN pg_namespace pn ON pn.oid = p.pronamespace JOIN pg_type st ON st.oid = c.castsource JOIN pg_namespace sn ON sn.oid = st.typnamespace"
                + " JOIN pg_type tt ON tt.oid = c.casttarget JOIN pg_namespace tn ON tn.oid = tt.typnamespace"
                + " WHERE c.oid >= 16384 AND " + RISKY_FUNCTION + " ORDER BY 1, 2");
             ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                if (rs.getBoolean(3) || names.contains(rs.getString(4)) || names.contains(rs.getString(5))) {
                    refusals.add("may cast " + rs.getString(1) + " to " + rs.getString(2) + ", through a function that is volatile or not built in");
                }
            }
        }
        return refusals;
    }

    /** User views, row-level security policies of user tables that have it on, and domain checks, that the check's names may reach. */
    @Override
    public Map<String, String> definitions(CheckSql check, Connection connection) throws SQLException {
        String sql = "WITH q AS (SELECT * FROM unnest(?::text[], ?::text[]) AS q(qualifier, name)),"
                + " rel AS (SELECT DISTINCT c.oid, c.relkind, c.relrowsecurity, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name"
                + "  FROM q JOIN pg_class c ON lower(c.relname) = lower(q.name) JOIN pg_namespace n ON n.oid = c.relnamespace"
                + "  WHERE c.oid >= 16384 AND " + IN_SCOPE + "),"
                + " dom AS (SELECT DISTINCT t.oid, quote_ident(n.nspname) || '.' || quote_ident(t.typname) AS name"
                + "  FROM q JOIN pg_type t ON lower(t.typname) = lower(q.name) JOIN pg_namespace n ON n.oid = t.typnamespace"
                + "  WHERE t.typtype = 'd' AND " + IN_SCOPE + ")"
                + " SELECT 'view ' || name, pg_get_viewdef(oid) FROM rel WHERE relkind = 'v'"
                + " UNION ALL SELECT 'row-level security policy ' || quote_ident(p.polname) || ' on ' || rel.name, 'SELECT ' || pg_get_expr(p.polqual, p.polrelid)"
                + "  FROM rel JOIN pg_policy p ON p.polrelid = rel.oid WHERE rel.relrowsecurity AND p.polqual IS NOT NULL"
                + " UNION ALL SELECT 'the check of domain ' || dom.name, 'SELECT ' || pg_get_expr(k.conbin, 0)"
                + "  FROM dom JOIN pg_constraint k ON k.contypid = dom.oid WHERE k.contype = 'c'"
                + " ORDER BY 1";
        Map<String, String> definitions = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bindNames(statement, check.names());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    definitions.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return definitions;
    }

    /** Allowed at any point of a transaction, and undone by rolling back to a savepoint taken before it (measured on 15). */
    @Override
    public String readOnlyStatement(boolean ownTransaction) {
        return "SET LOCAL transaction_read_only = on";
    }

    private static List<String> lowerNames(CheckSql check) {
        return List.copyOf(new LinkedHashSet<>(check.names().stream().map(n -> n.name().toLowerCase(Locale.ROOT)).toList()));
    }

    private static void bindNames(PreparedStatement statement, List<CheckSql.Name> names) throws SQLException {
        Connection connection = statement.getConnection();
        Array qualifiers = connection.createArrayOf("text", names.stream().map(CheckSql.Name::qualifier).toArray());
        Array plain = connection.createArrayOf("text", names.stream().map(CheckSql.Name::name).toArray());
        statement.setArray(1, qualifiers);
        statement.setArray(2, plain);
    }

    private static List<String> strings(PreparedStatement statement) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
