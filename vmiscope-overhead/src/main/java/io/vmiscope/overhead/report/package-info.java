/**
 * Reports of the overhead model: error tables (Markdown, for the terminal and docs/overhead.md), CSV,
 * and charts as PNG and SVG (JFreeChart, drawn into JFreeSVG for the SVG).
 *
 * <pre>
 *   Evaluation ──▶ ErrorTable ──▶ errors.md
 *              ──▶ ReportCsv ──▶ combinations.csv, cost-breakdown.csv
 *              ──▶ PredictedVsMeasuredChart, CostBreakdownChart ──▶ ChartFiles ──▶ .png + .svg
 *   Prediction ──▶ PredictionText (overhead predict)
 * </pre>
 */
package io.vmiscope.overhead.report;
