/**
 * Sigma rules over vmiscope events. {@link io.vmiscope.detect.sigma.RuleLoader} reads rule files (the default
 * ruleset in this module's {@code rules/} resources and the user's directories) and compiles them once into a
 * {@link io.vmiscope.detect.sigma.RuleSet}; {@link io.vmiscope.detect.sigma.SigmaDetector} maps each event to
 * Sigma's logsources and fields (docs/detection.md) and raises alerts.
 *
 * <pre>
 *   *.yml ──RuleLoader──▶ RuleSet (rules by logsource, correlations, unsupported + reasons, malformed lines)
 *   events ──SigmaDetector──▶ AlertEvent (rule id, level, techniques, evidence ids, follow-up requests)
 * </pre>
 */
package io.vmiscope.detect.sigma;
