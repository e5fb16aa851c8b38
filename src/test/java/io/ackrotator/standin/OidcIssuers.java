package io.ackrotator.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * OIDC issuers as CI systems run them, over HTTPS with a test CA, several on one server (one per path, so each test
 * has an issuer whose key cache it alone touches). Each serves what a relying party reads:
 * <ul>
 * <li>{@code <issuer>/.well-known/openid-configuration} naming {@code issuer} and {@code jwks_uri} (Source: OpenID
 * Connect Discovery 1.0 §3-4, https://openid.net/specs/openid-connect-discovery-1_0.html; GitHub publishes it at
 * https://token.actions.githubusercontent.com/.well-known/openid-configuration (github/docs
 * content/actions/reference/security/oidc.md), GitLab at {@code <instance>/.well-known/openid-configuration} with keys
 * at {@code /oauth/discovery/keys} (gitlabhq/gitlabhq app/controllers/jwks_controller.rb));</li>
 * <li>a JWKS of RSA keys, each with {@code kid}, {@code use: sig}, {@code alg: RS256} (same sources: both sign ID tokens
 * with RS256 and name the key by {@code kid}), whose set a test can rotate.</li>
 * </ul>
 * Tokens are signed as those issuers sign them: header {@code alg}, {@code kid}, {@code typ: JWT}; claims {@code iss},
 * {@code aud}, {@code sub}, {@code iat}, {@code nbf}, {@code exp} and the job's claims (Source: the example payloads of
 * github/docs content/actions/concepts/security/openid-connect.md and gitlabhq/gitlabhq
 * doc/ci/secrets/id_token_authentication.md).
 */
public final class OidcIssuers implements AutoCloseable {

    /** One issuer: its current keys (first one signs) and how often its JWKS was fetched. */
    public final class Issuer {
        private final String path;
        private volatile List<RsaJsonWebKey> keys;
        private final AtomicInteger jwksFetches = new AtomicInteger();

        private Issuer(String path) {
            this.path = path;
            this.keys = List.of(newKey(path + "-1"));
        }

        public String url() {
            return base + path;
        }

        public int jwksFetches() {
            return jwksFetches.get();
        }

        /** The provider's key rotation: a new key signs from now on and the JWKS publishes only it. */
        public RsaJsonWebKey rotate(String kid) {
            RsaJsonWebKey key = newKey(kid);
            keys = List.of(key);
            return key;
        }

        /** A job's ID token: issued now, valid five minutes, with {@code nbf} a little before (as GitLab sets it). */
        public String token(String audience, Map<String, Object> claims) {
            Instant now = Instant.now();
            return signWith(keys.get(0), claims(audience, claims, now.minusSeconds(5), now.plusSeconds(300), now));
        }

        public JwtClaims claims(String audience, Map<String, Object> claims, Instant notBefore, Instant expires,
                Instant issuedAt) {
            JwtClaims jwt = new JwtClaims();
            jwt.setIssuer(url());
            jwt.setAudience(audience);
            jwt.setJwtId(java.util.UUID.randomUUID().toString());
            jwt.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
            jwt.setNotBefore(NumericDate.fromSeconds(notBefore.getEpochSecond()));
            jwt.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
            claims.forEach(jwt::setClaim);
            return jwt;
        }

        public String sign(JwtClaims claims) {
            return signWith(keys.get(0), claims);
        }

        /** A token signed with a key this issuer never published. */
        public String signWithUnpublishedKey(JwtClaims claims, String kid) {
            return signWith(newKey(kid), claims);
        }

        /**
         * The classic confusion attack: HS256 with the issuer's public key (as published) as the HMAC secret, which
         * a verifier that takes the algorithm from the token would accept.
         */
        public String signHs256WithPublicKey(JwtClaims claims) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.setKeyIdHeaderValue(keys.get(0).getKeyId());
            jws.setKey(new HmacKey(keys.get(0).getPublicKey().getEncoded()));
            jws.setDoKeyValidation(false);
            return serialize(jws);
        }

        /** {@code alg: none}: no signature at all. */
        public String unsigned(JwtClaims claims) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
            jws.setKeyIdHeaderValue(keys.get(0).getKeyId());
            return serialize(jws);
        }

        private String jwks() {
            return new JsonWebKeySet(List.copyOf(keys)).toJson(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        }
    }

    private final HttpsServer server;
    private final String base;
    private final Path caFile;
    private final Map<String, Issuer> issuers = new ConcurrentHashMap<>();

    public OidcIssuers() {
        Instant now = Instant.now();
        TestPki.Issued ca = TestPki.certificateAuthority("oidc-test-ca", now.minusSeconds(3600),
                now.plusSeconds(3650L * 86400));
        TestPki.Issued serving = TestPki.serverCertificate(ca, List.of("127.0.0.1", "localhost"),
                now.minusSeconds(3600), now.plusSeconds(3650L * 86400));
        try {
            caFile = Files.createTempFile("oidc-ca", ".pem");
            Files.writeString(caFile, ca.certificatePem());
            caFile.toFile().deleteOnExit();
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {MemberApiServer.keyManager(serving)}, null, null);
            server = HttpsServer.create(new InetSocketAddress(TestPki.loopback(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(MemberApiServer.daemon("oidc-issuers")));
        server.start();
        base = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The issuer at {@code /<name>}, made on first use. */
    public Issuer issuer(String name) {
        return issuers.computeIfAbsent("/" + name, Issuer::new);
    }

    /** The PEM of the CA that signed this server's certificate (the callers' {@code oidc.ca-file}). */
    public Path caFile() {
        return caFile;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        for (Issuer issuer : issuers.values()) {
            if (path.equals(issuer.path + "/.well-known/openid-configuration")) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("issuer", issuer.url());
                document.put("jwks_uri", issuer.url() + "/.well-known/jwks");
                document.put("id_token_signing_alg_values_supported", List.of("RS256"));
                respond(exchange, 200, org.jose4j.json.JsonUtil.toJson(document));
                return;
            }
            if (path.equals(issuer.path + "/.well-known/jwks")) {
                issuer.jwksFetches.incrementAndGet();
                respond(exchange, 200, issuer.jwks());
                return;
            }
        }
        respond(exchange, 404, "{}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static RsaJsonWebKey newKey(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            key.setUse("sig");
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String signWith(RsaJsonWebKey key, JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return serialize(jws);
    }

    private static String serialize(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
