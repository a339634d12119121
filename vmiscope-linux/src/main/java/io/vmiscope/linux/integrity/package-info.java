/**
 * Cross-view integrity checks: the same kernel state read through several independent structures, which a
 * rootkit must keep consistent to stay hidden. Where the views disagree, something is hiding.
 *
 * <pre>
 *   IntegrityChecks.build(ids, KernelAccess) ──▶ IntegrityCheck.run() ──▶ CheckOutcome
 *        (one check per id, layouts from BTF)      (VM stopped)            findings: IntegrityFinding
 *                                                                          (check, subject, views, techniques)
 *   views:  KernelList (list_head rings)   PidTree (the pid allocator's radix tree)   per-CPU current / rq->curr
 *           module_kset kobjects           cred / parent / executable                  sys_call_table
 * </pre>
 *
 * Every walk is bounded by {@link io.vmiscope.linux.walk.WalkLimits}, follows only pointers that
 * {@link io.vmiscope.linux.walk.KernelPointers} accepts, and never throws for bad guest data: a fault becomes an
 * anomaly of the outcome. Transport failures propagate.
 */
package io.vmiscope.linux.integrity;
