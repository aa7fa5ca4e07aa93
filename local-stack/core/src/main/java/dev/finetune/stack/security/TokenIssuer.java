package dev.finetune.stack.security;

import dev.finetune.contracts.security.Roles;
import dev.finetune.stack.StackConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Issues the local stack's bearer tokens: RS256 JWTs with issuer {@value Roles#LOCAL_ISSUER}, the caller's name as
 * {@code upn} and {@code sub}, one role in {@code groups}, and an expiry.
 */
public final class TokenIssuer {

    /** The longest a token may live. */
    public static final Duration MAX_TTL = Duration.ofDays(90);

    private final SigningKeys keys;

    public TokenIssuer(SigningKeys keys) {
        this.keys = keys;
    }

    /** The issuer of a local stack, with its keys (made now if the stack never started). */
    public static TokenIssuer forStack(StackConfig config) {
        return new TokenIssuer(SigningKeys.inFolder(config.securityDir()));
    }

    /**
     * A signed token.
     *
     * @throws IllegalArgumentException naming every bad argument
     */
    public String issue(String name, String role, Duration ttl) {
        return issue(name, role, ttl, Instant.now());
    }

    /** A token issued at {@code issuedAt}: in the past, it makes expired tokens for tests. */
    public String issue(String name, String role, Duration ttl, Instant issuedAt) {
        List<String> problems = new ArrayList<>();
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
            problems.add("name: must be 1-64 letters, digits, '.', '_', '@' or '-' but was '" + name + "'");
        }
        if (!Roles.ALL.contains(role)) {
            problems.add("role: must be one of " + Roles.ALL + " but was '" + role + "'");
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            problems.add("ttl: must be above zero and at most " + MAX_TTL.toDays() + " days but was " + ttl);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(Roles.LOCAL_ISSUER);
        claims.setSubject(name);
        claims.setClaim("upn", name);
        claims.setStringListClaim("groups", role);
        claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(issuedAt.plus(ttl).getEpochSecond()));
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(keys.privateKey());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign the token: " + e.getMessage(), e);
        }
    }
}
