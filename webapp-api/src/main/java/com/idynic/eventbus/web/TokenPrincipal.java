package com.idynic.eventbus.web;

import jakarta.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of a request whose bearer token {@link VerifiedTokens} verified: the token's {@code upn} as its
 * name, its {@code groups} as its roles, and its claims as MicroProfile JWT presents them ({@code groups} a set of
 * strings, the times as seconds, other claims as the token's JSON values).
 *
 * @param rawToken the token as presented
 * @param claims its claims
 * @param name its {@code upn}
 * @param groups its {@code groups}
 * @param expiresAt its {@code exp}, in seconds since the epoch
 * @param issuedAt its {@code iat}, or null
 * @param notBefore its {@code nbf}, or null
 */
record TokenPrincipal(
        String rawToken,
        JsonObject claims,
        String name,
        Set<String> groups,
        long expiresAt,
        Long issuedAt,
        Long notBefore)
        implements JsonWebToken {
    /** Request attribute holding the principal of a request {@link AuthFilter} authenticated itself. */
    static final String ATTRIBUTE = "com.idynic.eventbus.tokenPrincipal";

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Set<String> getClaimNames() {
        Set<String> names = new LinkedHashSet<>(claims.keySet());
        names.add(Claims.raw_token.name());
        return names;
    }

    @Override
    public Set<String> getGroups() {
        return groups;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getClaim(String claim) {
        if (Claims.raw_token.name().equals(claim)) {
            return (T) rawToken;
        }
        if (Claims.groups.name().equals(claim)) {
            return claims.containsKey(claim) ? (T) groups : null;
        }
        if (Claims.exp.name().equals(claim)) {
            return (T) Long.valueOf(expiresAt);
        }
        if (Claims.iat.name().equals(claim)) {
            return (T) issuedAt;
        }
        if (Claims.nbf.name().equals(claim)) {
            return (T) notBefore;
        }
        if (Claims.upn.name().equals(claim)) {
            return (T) name;
        }
        if (Claims.aud.name().equals(claim)) {
            Set<String> audiences = new LinkedHashSet<>();
            if (claims.get(claim) instanceof jakarta.json.JsonString s) {
                audiences.add(s.getString());
            } else if (claims.get(claim) instanceof jakarta.json.JsonArray a) {
                a.getValuesAs(jakarta.json.JsonString.class).forEach(v -> audiences.add(v.getString()));
            }
            return (T) audiences;
        }
        if (Claims.iss.name().equals(claim)
                || Claims.sub.name().equals(claim)
                || Claims.jti.name().equals(claim)) {
            return claims.get(claim) instanceof jakarta.json.JsonString s ? (T) s.getString() : null;
        }
        return (T) claims.get(claim);
    }

    @Override
    public String toString() {
        // never the token itself: a principal may end up in a log line
        return "TokenPrincipal[" + name + ", groups=" + groups + ", exp=" + expiresAt + "]";
    }
}
