package io.vmiscope.guest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * Writes a gzip-compressed newc cpio archive, the format the kernel unpacks as initramfs. Parent
 * directories are created on demand, every entry is owned by root and dated 0 (the archive is
 * reproducible). Not thread-safe; {@link #close()} finishes the archive and closes the stream.
 */
final class Initramfs implements AutoCloseable {

    private final CpioArchiveOutputStream cpio;
    private final Set<String> directories = new HashSet<>();

    Initramfs(OutputStream out) throws IOException {
        this.cpio = new CpioArchiveOutputStream(new GZIPOutputStream(out), CpioConstants.FORMAT_NEW);
    }

    void directory(String path, int permissions) throws IOException {
        if (directories.contains(path)) {
            return;
        }
        parents(path);
        CpioArchiveEntry entry = entry(path, CpioConstants.C_ISDIR | permissions);
        cpio.putArchiveEntry(entry);
        cpio.closeArchiveEntry();
        directories.add(path);
    }

    void file(String path, int permissions, byte[] content) throws IOException {
        parents(path);
        CpioArchiveEntry entry = entry(path, CpioConstants.C_ISREG | permissions);
        entry.setSize(content.length);
        cpio.putArchiveEntry(entry);
        cpio.write(content);
        cpio.closeArchiveEntry();
    }

    void symlink(String path, String target) throws IOException {
        parents(path);
        byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
        CpioArchiveEntry entry = entry(path, CpioConstants.C_ISLNK | 0777);
        entry.setSize(bytes.length);
        cpio.putArchiveEntry(entry);
        cpio.write(bytes);
        cpio.closeArchiveEntry();
    }

    void characterDevice(String path, int permissions, int major, int minor) throws IOException {
        parents(path);
        CpioArchiveEntry entry = entry(path, CpioConstants.C_ISCHR | permissions);
        entry.setRemoteDeviceMaj(major);
        entry.setRemoteDeviceMin(minor);
        cpio.putArchiveEntry(entry);
        cpio.closeArchiveEntry();
    }

    private void parents(String path) throws IOException {
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            directory(path.substring(0, slash), 0755);
        }
    }

    private static CpioArchiveEntry entry(String path, int mode) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("..")) {
            throw new IllegalArgumentException("initramfs paths are relative and plain: " + path);
        }
        CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, path);
        entry.setMode(mode);
        entry.setNumberOfLinks((mode & CpioConstants.S_IFMT) == CpioConstants.C_ISDIR ? 2 : 1);
        entry.setTime(0);
        return entry;
    }

    @Override
    public void close() throws IOException {
        cpio.close();
    }
}
