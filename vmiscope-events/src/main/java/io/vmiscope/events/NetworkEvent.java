package io.vmiscope.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network operation.
 *
 * @param operation connect, accept, bind, listen, socket
 * @param address   the address involved, e.g. {@code "127.0.0.1:80"}, {@code "[::1]:22"}, a unix path, or empty
 * @param fd        the socket's file descriptor in the process, or -1
 * @param syscall   the system call that did it
 */
public record NetworkEvent(long timeNanos, String vm, String action, ProcessRef process, String operation,
                           String address, int fd, String syscall) implements Event {

    @Override
    public String kind() {
        return "network";
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("operation", operation);
        f.put("address", address);
        f.put("fd", fd);
        f.put("syscall", syscall);
        return f;
    }
}
