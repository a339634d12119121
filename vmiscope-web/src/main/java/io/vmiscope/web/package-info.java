/**
 * The browser UI's server: Javalin routes for the JSON API (documented in {@code web/openapi.yaml}), the live
 * stream (server-sent events), access control (a token on every address, CSRF on every change) and the static
 * single-page app with its bundled libraries. What a live VM can do (start, stop, preview actions; its budget)
 * comes in through {@link io.vmiscope.session.live.LiveVms}, which the CLI implements over a running monitor.
 */
package io.vmiscope.web;
