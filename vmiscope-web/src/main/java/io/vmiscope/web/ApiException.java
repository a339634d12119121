package io.vmiscope.web;

/** A request the API refuses, with its HTTP status and a one-line reason for the client. */
final class ApiException extends RuntimeException {

    private final int status;

    private ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException unauthorized(String message) {
        return new ApiException(401, message);
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    static ApiException notLive(String vm) {
        return new ApiException(409, "VM '" + vm + "' is not monitored live by this server (imported or ended)");
    }

    int status() {
        return status;
    }
}
