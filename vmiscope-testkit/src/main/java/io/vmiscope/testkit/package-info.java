/**
 * Test helpers for vmiscope's modules: an in-process guest and builders that lay out real guest
 * data structures in its memory. Other modules depend on this one with {@code <scope>test</scope>}.
 *
 * <pre>
 *   TaskListBuilder ──writes structs at kernel virtual addresses──▶ PageTableBuilder
 *                                                                     │ x86-64 tables, 4/5 levels
 *                                                                     ▼
 *   code under test ──GuestConnection──▶ FakeGuest (sparse 4 KiB pages, registers, stops,
 *                                                   breakpoints, call log, fault injection)
 * </pre>
 *
 * <p>The builders produce well-formed structures by default and offer explicit hooks to corrupt
 * them (cycles, wild and non-canonical pointers, missing NUL terminators) for adversarial tests.
 * Builders write through {@link io.vmiscope.testkit.FakeGuest}'s write helpers, which are not
 * recorded as calls: the call log shows only what the code under test asked for.
 *
 * <p>{@link io.vmiscope.testkit.OtherUser} runs probes as another local user ({@code nobody}), for tests
 * of what such a user can reach: a VM's sockets, the browser API.
 */
package io.vmiscope.testkit;
