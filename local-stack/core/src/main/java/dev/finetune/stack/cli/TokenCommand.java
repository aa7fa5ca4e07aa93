package dev.finetune.stack.cli;

import dev.finetune.contracts.security.Roles;
import dev.finetune.stack.PlatformService;
import dev.finetune.stack.StackConfig;
import dev.finetune.stack.security.TokenIssuer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Issues bearer tokens signed with the local stack's key: the stack is its own identity provider. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Bearer tokens for the local stack's APIs, signed with its key (made at the first `up`).",
        subcommands = TokenCommand.Create.class)
class TokenCommand implements Runnable {

    @Override
    public void run() {
        throw new IllegalArgumentException("say what to do: `finetune token create --role ROLE --name WHO`");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Prints a new token for WHO with ROLE, to send as `Authorization: Bearer <token>`.",
                    "Roles: viewer (read), data-editor (datasets), operator (jobs), approver (promotion), "
                            + "admin (all)."})
    static class Create implements Callable<Integer> {

        @Mixin
        StackOptions options;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, data-editor, "
                + "operator, approver or admin")
        String role;

        @Option(names = "--name", required = true, paramLabel = "WHO", description = "who the token is for; "
                + "recorded on every write it makes")
        String name;

        @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "8h",
                description = "how long it is valid: 30m, 8h, 7d or ISO-8601 (PT8H); at most 90d (default: 8h)")
        String ttl;

        PrintStream out = System.out;

        @Override
        public Integer call() {
            StackConfig config = options.toConfig();
            Duration lifetime = parseTtl(ttl);
            String token = TokenIssuer.forStack(config).issue(name, role, lifetime);
            out.println(token);
            return 0;
        }
    }

    /** {@code 30m}, {@code 8h}, {@code 7d}, or an ISO-8601 duration. */
    static Duration parseTtl(String text) {
        try {
            if (text.matches("\\d+[smhd]")) {
                long n = Long.parseLong(text.substring(0, text.length() - 1));
                return switch (text.charAt(text.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(text);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("ttl: must look like 30m, 8h, 7d or PT8H but was '" + text + "'");
        }
    }

    /** A token for the CLI's own calls: the local user, as admin, for an hour. */
    static String forCli(StackConfig config) {
        return TokenIssuer.forStack(config).issue(cliUser(), Roles.ADMIN, Duration.ofHours(1));
    }

    /** The person running the CLI, as a token names them. */
    private static String cliUser() {
        String user = System.getProperty("user.name", "cli").replaceAll("[^A-Za-z0-9._@-]", "_");
        return user.isEmpty() ? "cli" : user;
    }

    /**
     * The dashboard's sign-in link for the person running the CLI, who owns the local stack: an admin token (its
     * pages' buttons train, promote and roll back), valid for a working day. The token rides in the URL's fragment,
     * which the browser keeps to itself: the sign-in page's script posts it once and the registry keeps it in an
     * HttpOnly cookie.
     */
    static String dashboardLink(StackConfig config) {
        String token = TokenIssuer.forStack(config).issue(cliUser(), Roles.ADMIN, Duration.ofHours(12));
        return config.serviceUrl(PlatformService.REGISTRY) + "/dashboard/login#token=" + token;
    }
}
