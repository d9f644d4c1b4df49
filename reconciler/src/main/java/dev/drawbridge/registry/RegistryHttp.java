package dev.drawbridge.registry;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * HTTP to one registry: a bounded number of concurrent requests (a semaphore around each request),
 * bounded answer sizes, timeouts, and authentication. {@link Auth#CHALLENGE} follows the registry's
 * {@code WWW-Authenticate} challenge (Bearer token flow, or Basic) and reuses tokens per scope;
 * {@link Auth#BASIC} sends HTTP Basic up front (Harbor's REST API). Redirects are followed here: the
 * Authorization header is dropped when a redirect leaves the origin (scheme, host or port change: blob storage
 * behind a registry), and a redirect from https to plain http is refused. A token realm is asked only over
 * https, or over plain http on a loopback host. Secrets are read at use and never appear in an exception message.
 */
final class RegistryHttp {

    enum Auth { CHALLENGE, BASIC }

    /** What to ask; {@code what} names it in messages, e.g. {@code manifest 1.4.2}. */
    record Request(String method, URI uri, Map<String, String> headers, long maxBytes, String repository,
                   String what, Auth auth) {
        Request {
            headers = Map.copyOf(headers);
        }
    }

    record Response(int status, HttpTransport.Answer answer) {
        Optional<String> header(String name) {
            return answer.header(name);
        }

        byte[] body() {
            return answer.body();
        }
    }

    private static final long TOKEN_MAX_BYTES = 1 << 20;
    private static final int BODY_DEADLINE_FACTOR = 3;
    private static final int MAX_REDIRECTS = 5;
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);

    private final RegistrySettings settings;
    private final HttpTransport transport;
    private final Semaphore permits;
    private final TokenCache tokens;
    private final AtomicLong requests;
    private volatile boolean basicChallenged;

    RegistryHttp(RegistrySettings settings, HttpTransport transport, TokenCache tokens, AtomicLong requests) {
        this.settings = settings;
        this.transport = transport;
        this.permits = new Semaphore(settings.concurrency(), true);
        this.tokens = tokens;
        this.requests = requests;
    }

    RegistrySettings settings() {
        return settings;
    }

    /** URI of {@code path} (which starts with '/') under the configured base URL. */
    URI uri(String path) {
        String base = settings.url().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path);
    }

    Response send(Request request) throws RegistryException {
        String scopeKey = tokenKey("repository:" + request.repository() + ":pull");
        String authorization = null;
        if (request.auth() == Auth.BASIC || basicChallenged) {
            authorization = basic(request).orElse(null);
        } else {
            authorization = tokens.get(scopeKey).map(t -> "Bearer " + t).orElse(null);
        }
        Response response = exchange(request, authorization);
        if (response.status() == 401 && request.auth() == Auth.CHALLENGE) {
            AuthChallenge challenge = AuthChallenge.parse(response.header("WWW-Authenticate").orElse(null))
                    .orElseThrow(() -> authFailure(request, 401, "the registry asked for authentication without a challenge"));
            String retry;
            if (challenge.isBearer()) {
                retry = "Bearer " + bearerToken(request, challenge, scopeKey, authorization);
            } else if (challenge.isBasic()) {
                retry = basic(request).orElseThrow(() -> authFailure(request, 401,
                        "the registry requires authentication and no credentials are configured"));
                if (retry.equals(authorization)) {
                    throw authFailure(request, 401, "authentication failed");
                }
                basicChallenged = true;
            } else {
                throw authFailure(request, 401, "unsupported authentication scheme " + challenge.scheme());
            }
            response = exchange(request, retry);
        }
        if (response.status() == 401 || response.status() == 403) {
            throw authFailure(request, response.status(), response.status() == 401 ? "authentication failed"
                    : "access denied");
        }
        return response;
    }

    /** A failure with the registry, repository and status, as "could not verify host/repo: detail". */
    RegistryException failure(String repository, int status, String detail) {
        return failure(repository, status, detail, null);
    }

    RegistryException failure(String repository, int status, String detail, Throwable cause) {
        return new RegistryException(settings.host(), repository, status,
                "could not verify " + settings.host() + "/" + repository + ": " + detail, cause);
    }

    private RegistryException authFailure(Request request, int status, String detail) {
        String who = settings.username() == null ? "anonymously" : "as " + settings.username();
        return failure(request.repository(), status,
                detail + " (" + status + ", " + who + ") for " + request.what());
    }

    private String bearerToken(Request request, AuthChallenge challenge, String scopeKey, String rejected)
            throws RegistryException {
        String scope = challenge.scope() != null ? challenge.scope() : "repository:" + request.repository() + ":pull";
        String challengeKey = tokenKey(scope);
        synchronized (tokens.lock(challengeKey)) {
            Optional<String> cached = tokens.get(challengeKey);
            if (cached.isPresent() && !("Bearer " + cached.get()).equals(rejected)) {
                return cached.get();
            }
            String realm = challenge.realm();
            if (realm == null || realm.isBlank()) {
                throw authFailure(request, 401, "the registry's Bearer challenge names no realm");
            }
            StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
            if (challenge.service() != null) {
                url.append("service=").append(encode(challenge.service())).append('&');
            }
            url.append("scope=").append(encode(scope));
            URI tokenUri;
            try {
                tokenUri = URI.create(url.toString());
            } catch (IllegalArgumentException e) {
                throw authFailure(request, 401, "the registry's token realm is not a URL");
            }
            String scheme = String.valueOf(tokenUri.getScheme()).toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("https") && !(scheme.equals("http") && RegistrySettings.isLoopback(tokenUri.getHost())
                    && "http".equalsIgnoreCase(settings.url().getScheme()))) {
                throw authFailure(request, 401, "the registry's token realm is not https (credentials are sent "
                        + "only over https); refused");
            }
            Request tokenRequest = new Request("GET", tokenUri, Map.of("Accept", "application/json"), TOKEN_MAX_BYTES,
                    request.repository(), "a token for " + request.what(), Auth.BASIC);
            Response answer = exchange(tokenRequest, basic(request).orElse(null));
            if (answer.status() != 200) {
                throw authFailure(request, answer.status(), "the token endpoint refused a token");
            }
            JsonNode json = Json.parse(answer.body(), () -> failure(request.repository(), 200,
                    "the token endpoint answered malformed JSON for " + request.what()));
            String token = Json.text(json, "token");
            if (token == null || token.isBlank()) {
                token = Json.text(json, "access_token");
            }
            if (token == null || token.isBlank()) {
                throw failure(request.repository(), 200, "the token endpoint answered no token for " + request.what());
            }
            long expiresIn = json.path("expires_in").asLong(0);
            Duration lifetime = expiresIn > 0 ? Duration.ofSeconds(expiresIn) : DEFAULT_TOKEN_LIFETIME;
            tokens.put(challengeKey, token, lifetime);
            if (!challengeKey.equals(scopeKey)) {
                tokens.put(scopeKey, token, lifetime);
            }
            return token;
        }
    }

    private String tokenKey(String scope) {
        return settings.url() + "|" + scope;
    }

    private Optional<String> basic(Request request) throws RegistryException {
        if (settings.username() == null || settings.password() == null) {
            return Optional.empty();
        }
        String password;
        try {
            password = settings.password().get();
        } catch (RuntimeException e) {
            // the supplier's exception might quote the secret's file content; keep only its type
            throw failure(request.repository(), 0, "the registry password could not be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (password == null) {
            return Optional.empty();
        }
        String pair = settings.username() + ":" + password;
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    private Response exchange(Request request, String authorization) throws RegistryException {
        URI uri = request.uri();
        String auth = authorization;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Response response = once(request, uri, auth);
            int s = response.status();
            if ((s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && response.header("Location").isPresent()) {
                URI next;
                try {
                    next = uri.resolve(response.header("Location").get());
                } catch (IllegalArgumentException e) {
                    throw failure(request.repository(), s, "the registry redirected to an invalid URL for " + request.what());
                }
                String scheme = String.valueOf(next.getScheme()).toLowerCase(java.util.Locale.ROOT);
                if (!scheme.equals("https") && !scheme.equals("http")) {
                    throw failure(request.repository(), s, "the registry redirected to a " + scheme
                            + " URL for " + request.what() + "; refused");
                }
                if (scheme.equals("http") && "https".equalsIgnoreCase(uri.getScheme())) {
                    throw failure(request.repository(), s, "the registry redirected from https to plain http for "
                            + request.what() + "; refused");
                }
                if (!sameOrigin(uri, next)) {
                    auth = null; // credentials stay with the origin they were meant for
                }
                uri = next;
                continue;
            }
            return response;
        }
        throw failure(request.repository(), 0, "too many redirects for " + request.what());
    }

    static boolean sameOrigin(URI a, URI b) {
        return String.valueOf(a.getScheme()).equalsIgnoreCase(String.valueOf(b.getScheme()))
                && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private Response once(Request request, URI uri, String authorization) throws RegistryException {
        Map<String, String> headers = new java.util.LinkedHashMap<>(request.headers());
        headers.put("User-Agent", "drawbridge");
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(request.repository(), 0, "interrupted while waiting to ask for " + request.what(), e);
        }
        // The timeout bounds the connect and every read; the whole exchange, body included, gets a hard
        // deadline too, so a registry that stalls mid-body cannot hold the gate.
        Duration deadline = settings.timeout().multipliedBy(BODY_DEADLINE_FACTOR);
        try {
            requests.incrementAndGet();
            HttpTransport.Answer answer = transport.exchange(request.method(), uri, headers, settings.timeout(),
                    deadline, request.maxBytes());
            return new Response(answer.status(), answer);
        } catch (HttpTransport.TooLarge e) {
            throw tooLarge(request, 200);
        } catch (HttpTransport.Timeout e) {
            throw failure(request.repository(), 0, "the registry did not answer within "
                    + settings.timeout().toMillis() + " ms for " + request.what(), e);
        } catch (ConnectException e) {
            throw failure(request.repository(), 0, "the registry is unreachable (connection refused) for "
                    + request.what(), e);
        } catch (IOException e) {
            throw failure(request.repository(), 0, "the registry is unreachable for " + request.what() + " ("
                    + e.getClass().getSimpleName() + ")", e);
        } catch (IllegalArgumentException e) {
            throw failure(request.repository(), 0, "the request for " + request.what() + " is invalid ("
                    + e.getClass().getSimpleName() + ")", e);
        } finally {
            permits.release();
        }
    }

    private RegistryException tooLarge(Request request, int status) {
        return failure(request.repository(), status, "the answer for " + request.what()
                + " is larger than the limit of " + request.maxBytes() + " bytes");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
