package com.idynic.eventbus.security;

import java.time.Duration;
import java.util.Optional;

/**
 * Identity, secrets at rest and rate limits ({@code eventbus.jwt.*}, {@code eventbus.auth.*}, {@code
 * eventbus.secrets.*}, {@code eventbus.ratelimit.*}, and MicroProfile JWT's public key location).
 *
 * @param jwtPrivateKey the PEM file (PKCS#8) of the key the bus signs tokens with; empty: the bus signs none
 * @param jwtPublicKey where the key that verifies tokens is ({@code mp.jwt.verify.publickey.location}, also
 *     read by MicroProfile JWT), e.g. {@code file:/config/jwt-public.pem}
 * @param jwtIssuer the {@code iss} of the tokens the bus signs
 * @param jwtAudience the {@code aud} of the tokens the bus signs
 * @param tokenLifetime how long a token the bus signs is valid, e.g. 15 min
 * @param defaultRateLimit the publish rate of a service that sets none
 * @param secretsKey the key (base64 of 32 bytes) webhook secrets are stored under; empty: none stored
 * @param secretsOldKeys earlier keys, comma-separated, that stored secrets may still be under
 * @param adminKey the API key of the service {@code admin}, created at start when set
 * @param clientKey the API key of the co-deployed apps' service, created at start when set
 * @param clientService the name of the co-deployed apps' service, e.g. {@code profile-service}
 * @param directoryTtl how long a server keeps its copy of a service record or API key, e.g. 2 s
 * @since 0.8.0
 */
public record SecuritySettings(
        Optional<String> jwtPrivateKey,
        Optional<String> jwtPublicKey,
        String jwtIssuer,
        String jwtAudience,
        Duration tokenLifetime,
        RateLimit defaultRateLimit,
        Optional<String> secretsKey,
        Optional<String> secretsOldKeys,
        Optional<String> adminKey,
        Optional<String> clientKey,
        String clientService,
        Duration directoryTtl) {}
