/**
 * The contracts between vmiscope's layers: address types, the access context that says how an
 * address is resolved, and small capability interfaces that a hypervisor driver implements.
 *
 * <pre>
 *   linux walkers ──▶ GuestMemory (x86) ──▶ PhysicalMemory ◀── GdbDriver / FakeGuest
 *                                          VcpuState
 *   monitor ───────▶ ExecutionControl, BreakpointControl
 * </pre>
 *
 * <p>Two error families (see {@link io.vmiscope.api.GuestAccessException} and
 * {@link io.vmiscope.api.TransportException}): a guest-data fault is local and expected, a transport
 * failure ends the session.
 */
package io.vmiscope.api;
