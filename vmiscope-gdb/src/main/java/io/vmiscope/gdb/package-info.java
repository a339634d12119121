/**
 * A client of the GDB remote serial protocol for QEMU's gdbstub, and {@link io.vmiscope.gdb.GdbDriver},
 * the {@link io.vmiscope.api.GuestConnection} built on it. Knows no guest operating system.
 *
 * <pre>
 *   GdbDriver            state machine STOPPED/RUNNING/EXITED, registers by target-description name,
 *      │                 physical reads in PacketSize/2 chunks (pipelined, also as readAll batches),
 *      │                 breakpoint handles, detach on close
 *   PacketChannel        request/answer over one socket, pipelined batches in windows of up to 64
 *      │                 commands, acks and retransmission, asynchronous stop replies set aside,
 *      │                 deadlines, round-trip/request/byte/wait counters
 *   PacketCodec          $payload#cs framing, } escapes, * run-length decoding
 *      │
 *   StubSocket           non-blocking channel behind a selector: a deadline on every read and write
 *      │
 *   Unix socket ──────── qemu-system-x86_64 -gdb unix:PATH,server=on,wait=off   (GdbAddress.Unix)
 *   TCP (TCP_NODELAY) ── qemu-system-x86_64 -gdb tcp:HOST:PORT                  (GdbAddress.Tcp)
 * </pre>
 *
 * <p>Only {@link io.vmiscope.gdb.GdbDriver}, {@link io.vmiscope.gdb.GdbAddress},
 * {@link io.vmiscope.gdb.GdbOptions} and {@link io.vmiscope.gdb.TargetDescription} are exported; the protocol layers are package-private.
 */
package io.vmiscope.gdb;
