package io.vmiscope.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * File modes that keep a VM's runtime files to the user who started it: its directory {@code 0700}
 * (nobody else can enter it, so nobody else can reach a socket inside) and its sockets {@code 0600}.
 * On Linux connecting to a Unix socket needs search permission on every directory of its path and write
 * permission on the socket, so the directory alone keeps other users out; the socket modes hold should
 * the directory ever be opened up. Root passes every such check: this protects a user from other
 * users, not from root.
 */
final class OwnerOnly {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> SOCKET = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /**
     * Creates {@code dir} (and its missing parents, with the default mode) and sets it to {@code 0700},
     * also when it exists with a wider mode from an earlier version.
     *
     * @throws IllegalStateException when {@code dir} is a link or belongs to another user: whoever owns
     *                               it could open it up again
     * @throws UncheckedIOException  when it cannot be created or changed
     */
    static void directory(Path dir) {
        try {
            Files.createDirectories(dir);
            if (Files.isSymbolicLink(dir)) {
                throw new IllegalStateException(dir + " is a symbolic link; a VM's runtime directory must be a real one");
            }
            int ownerUid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int ourUid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (ownerUid != ourUid) {
                throw new IllegalStateException(dir + " belongs to uid " + ownerUid + ", not to this user (uid "
                        + ourUid + "): remove it or use another VMISCOPE_CACHE");
            }
            Files.setPosixFilePermissions(dir, DIRECTORY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + " for the owner only: " + e.getMessage(), e);
        }
    }

    /** Sets a socket QEMU created to {@code 0600}. */
    static void socket(Path socket) {
        try {
            Files.setPosixFilePermissions(socket, SOCKET);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict " + socket + " to its owner: " + e.getMessage(), e);
        }
    }
}
