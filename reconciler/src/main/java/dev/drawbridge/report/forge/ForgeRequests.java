package dev.drawbridge.report.forge;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How every request to a forge's API is made ({@link ForgeApi}, {@link PullRequestHttp}): the token read at the
 * request, a failure to read it naming the request and never the token; a JSON request below the API root with
 * the forge's authentication, Drawbridge's user agent and the request timeout.
 */
final class ForgeRequests {

    private ForgeRequests() {
    }

    /** The token for one request ({@code ""} when none is configured). */
    static String token(ForgeKind kind, Supplier<String> token, String method, String pathAndQuery) throws ForgeException {
        try {
            return Objects.requireNonNullElse(token.get(), "");
        } catch (RuntimeException e) {
            throw new ForgeException(kind.configName(), 0, true, kind.configName() + ": cannot read the token for "
                    + method + " " + pathAndQuery.replaceAll("\\?.*", "") + ": " + e.getClass().getSimpleName());
        }
    }

    /** {@code method} to {@code pathAndQuery} below {@code apiUrl}, with {@code json} as its body when not null. */
    static HttpRequest request(ForgeKind kind, URI apiUrl, String method, String pathAndQuery, String json, String token) {
        URI uri = URI.create(HttpStatusReporter.stripSlash(apiUrl.toString()) + pathAndQuery);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(HttpStatusReporter.REQUEST_TIMEOUT)
                .header("User-Agent", "drawbridge")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        kind.authenticate(builder, token);
        return builder.build();
    }
}
