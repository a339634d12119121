// ECharts plumbing: one instance per container, resized with the window, tooltips drawn as canvas text.
import { printableLines } from './format.js';

const charts = new Set();
window.addEventListener('resize', () => charts.forEach((chart) => chart.resize()));

/**
 * The chart of a container, created on first use — when the container is visible, to have a size — and then
 * handed to setup(chart) to wire its events once.
 */
export function chartOf(node, setup) {
  if (typeof echarts === 'undefined') throw new Error('the chart library (ECharts) did not load');
  let chart = echarts.getInstanceByDom(node);
  if (!chart) {
    chart = echarts.init(node);
    charts.add(chart);
    setup?.(chart);
  }
  return chart;
}

/** A tooltip whose text is canvas text (never HTML): `format(params)` returns plain text, lines split by \n. */
export function textTooltip(format, extra = {}) {
  return { renderMode: 'richText', confine: true, ...extra, formatter: (params) => printableLines(format(params)) };
}
