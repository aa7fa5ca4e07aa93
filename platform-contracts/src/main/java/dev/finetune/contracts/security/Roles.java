package dev.finetune.contracts.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may do what: the roles a bearer token carries in its {@code groups} claim. Every role may read
 * ({@link #VIEWER}); {@link #ADMIN} may do everything.
 *
 * <table>
 *   <caption>roles</caption>
 *   <tr><th>role</th><th>may</th></tr>
 *   <tr><td>{@value #VIEWER}</td><td>read datasets, jobs, models, reports</td></tr>
 *   <tr><td>{@value #DATA_EDITOR}</td><td>upload datasets, change their settings, stream labeled examples</td></tr>
 *   <tr><td>{@value #OPERATOR}</td><td>submit and cancel training jobs, run tasks</td></tr>
 *   <tr><td>{@value #APPROVER}</td><td>promote and roll back model versions</td></tr>
 *   <tr><td>{@value #ADMIN}</td><td>all of the above, tokens and policies</td></tr>
 * </table>
 */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String DATA_EDITOR = "data-editor";
    public static final String OPERATOR = "operator";
    public static final String APPROVER = "approver";
    public static final String ADMIN = "admin";
    public static final List<String> ALL = List.of(VIEWER, DATA_EDITOR, OPERATOR, APPROVER, ADMIN);

    /** The {@code iss} of tokens the local stack issues. */
    public static final String LOCAL_ISSUER = "finetune-local";

    private Roles() {
    }

    /** Every role granted by holding {@code roles}: each known role, viewer with any of them, all with admin. */
    public static Set<String> implied(Set<String> roles) {
        Set<String> implied = new LinkedHashSet<>();
        for (String role : roles) {
            if (role.equals(ADMIN)) {
                implied.addAll(ALL);
            } else if (ALL.contains(role)) {
                implied.add(VIEWER);
                implied.add(role);
            }
        }
        return implied;
    }
}
