package io.vmiscope.web;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Runs before every request, pages and API alike. With a token (the default, on loopback too), the request
 * must carry it: {@code Authorization: Bearer TOKEN}, or the HttpOnly cookie that a {@code GET} with
 * {@code ?token=TOKEN} sets; else 401. The cookie's name carries the server's port, as browsers share
 * cookies between the ports of a host. Requests that change state must carry the CSRF value of this server
 * and come from its own origin. On a loopback address, the Host header must name loopback or the bound
 * address, so a web page elsewhere cannot reach the server by DNS rebinding (403). Every answer gets headers
 * that keep pages from running anything but the app's own scripts.
 */
final class AccessGuard {

    static final String CSRF_HEADER = "X-Vmiscope-Csrf";
    /** The token cookie's name is this, {@code _}, and the server's port. */
    static final String TOKEN_COOKIE = "vmiscope_token";

    private static final Set<HandlerType> CHANGES = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.DELETE,
            HandlerType.PATCH);
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    private final Optional<String> token;
    private final String csrf;
    /** The names a request's Host may give on a loopback address; empty elsewhere (no Host check). */
    private final Set<String> hostNames;

    AccessGuard(ServerSettings settings) {
        this.token = settings.token();
        this.csrf = ServerSettings.newToken();
        this.hostNames = ServerSettings.isLoopback(settings.host()) ? loopbackNames(settings.host()) : Set.of();
    }

    /** 127.0.0.1, localhost, [::1] and the address bound to (e.g. 127.0.0.2), lower case. */
    private static Set<String> loopbackNames(String bound) {
        Set<String> names = new HashSet<>(LOOPBACK_HOSTS);
        String name = bound.toLowerCase(Locale.ROOT);
        names.add(name.contains(":") && !name.startsWith("[") ? "[" + name + "]" : name);
        return Set.copyOf(names);
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
        if (!hostNames.isEmpty()) {
            checkHost(ctx);
        }
        if (token.isPresent()) {
            checkToken(ctx, token.get());
        }
        if (CHANGES.contains(ctx.method())) {
            checkCsrf(ctx);
        }
    }

    private void checkHost(Context ctx) {
        String host = ctx.header("Host");
        String name = host == null ? "" : host.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
        if (!hostNames.contains(name)) {
            throw ApiException.forbidden("this server answers only requests addressed to the loopback address it "
                    + "listens on, 127.0.0.1 or localhost");
        }
    }

    private static void checkToken(Context ctx, String expected) {
        String cookieName = TOKEN_COOKIE + "_" + ctx.req().getLocalPort();
        String query = ctx.queryParam("token");
        if (query != null && equal(query, expected) && ctx.method() == HandlerType.GET) {
            Cookie cookie = new Cookie(cookieName, expected);
            cookie.setHttpOnly(true);
            cookie.setSameSite(SameSite.STRICT);
            cookie.setPath("/");
            ctx.cookie(cookie);
            return;
        }
        String header = ctx.header("Authorization");
        String bearer = header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
        String cookie = ctx.cookie(cookieName);
        if (!(bearer != null && equal(bearer, expected)) && !(cookie != null && equal(cookie, expected))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"vmiscope\"");
            throw ApiException.unauthorized("this server needs its access token: open the URL it printed, or send "
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
