package io.vmiscope.web;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * Runs before every request. Off loopback, the request must carry the access token (header, or the cookie
 * that {@code ?token=} sets once). Requests that change state must carry the CSRF value of this server and
 * come from its own origin. On loopback, the Host header must name loopback too, so a web page elsewhere
 * cannot reach the server by DNS rebinding. Every answer gets headers that keep pages from running anything
 * but the app's own scripts.
 */
final class AccessGuard {

    static final String CSRF_HEADER = "X-Vmiscope-Csrf";
    static final String TOKEN_COOKIE = "vmiscope_token";

    private static final Set<HandlerType> CHANGES = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.DELETE,
            HandlerType.PATCH);
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    private final Optional<String> token;
    private final String csrf;
    private final boolean loopback;

    AccessGuard(ServerSettings settings) {
        this.token = settings.token();
        this.csrf = ServerSettings.newToken();
        this.loopback = settings.token().isEmpty();
    }

    /** The CSRF value the app sends back on every change. */
    String csrf() {
        return csrf;
    }

    void check(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        if (loopback) {
            checkLoopbackHost(ctx);
        } else {
            checkToken(ctx);
        }
        if (CHANGES.contains(ctx.method())) {
            checkCsrf(ctx);
        }
    }

    private static void checkLoopbackHost(Context ctx) {
        String host = ctx.header("Host");
        String name = host == null ? "" : host.replaceFirst(":\\d+$", "");
        if (!LOOPBACK_HOSTS.contains(name)) {
            throw ApiException.forbidden("this server answers only requests addressed to 127.0.0.1 or localhost");
        }
    }

    private void checkToken(Context ctx) {
        String expected = token.orElseThrow();
        String query = ctx.queryParam("token");
        if (query != null && equal(query, expected) && ctx.method() == HandlerType.GET) {
            Cookie cookie = new Cookie(TOKEN_COOKIE, expected);
            cookie.setHttpOnly(true);
            cookie.setSameSite(SameSite.STRICT);
            cookie.setPath("/");
            ctx.cookie(cookie);
            return;
        }
        String header = ctx.header("Authorization");
        String bearer = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
        String cookie = ctx.cookie(TOKEN_COOKIE);
        if (!(bearer != null && equal(bearer, expected)) && !(cookie != null && equal(cookie, expected))) {
            throw ApiException.forbidden("this server needs its access token: open the URL it printed, or send "
                    + "'Authorization: Bearer TOKEN'");
        }
    }

    private void checkCsrf(Context ctx) {
        String value = ctx.header(CSRF_HEADER);
        if (value == null || !equal(value, csrf)) {
            throw ApiException.forbidden("a change needs the " + CSRF_HEADER + " header from GET /api/session");
        }
        String origin = ctx.header("Origin");
        String host = ctx.header("Host");
        if (origin != null && !origin.equals("http://" + host) && !origin.equals("https://" + host)) {
            throw ApiException.forbidden("changes are accepted only from this server's own pages");
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
