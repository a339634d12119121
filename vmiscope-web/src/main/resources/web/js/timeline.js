// The timeline: a heatmap of events per process lane and time bucket, for one category. Brushing an interval
// sets the global time range; "zoom" reloads the timeline for that range, with finer buckets.
import { api, vmPath } from './api.js';
import { byId, setText } from './dom.js';
import { chartOf, textTooltip } from './charts.js';
import { fmtClock, fmtNum, fmtTime, pidOfKey, shorten } from './format.js';
import { LEVEL_COLOURS } from './levels.js';
import { go } from './router.js';
import { on, setRange, state } from './state.js';
import { isShown, loader } from './view.js';

const BUCKETS = 120;
const LANES = 40;
const LANE_HEIGHT = 20;
const MARKERS = 500;         // alerts marked at most (the newest of the range)
const CHROME_HEIGHT = 130;   // axes, toolbox and the zoom slider around the lanes

const section = byId('view-timeline');
const container = byId('timeline-chart');
const categorySelect = byId('timeline-category');
const zoomButton = byId('timeline-zoom');
const info = byId('timeline-info');
const load = loader(section);

let vm = null;
let zoom = null;       // the range the timeline is zoomed to, or null for the VM's whole span
let timeline = null;   // the last answer
let alerts = [];       // the alerts of its range that are not false positives, newest first
let chart = null;      // created on the first render

export function show(route) {
  if (route.vm !== vm) {
    vm = route.vm;
    zoom = null;
  }
  return reload(false);
}

export const refresh = () => reload(true);

function reload(keepZoom) {
  return load(async (signal) => {
    const query = { buckets: BUCKETS, lanes: LANES, from: zoom?.from, to: zoom?.to };
    const [answer, marked] = await Promise.all([
      api('GET', vmPath(vm, 'timeline'), { query, signal }),
      api('GET', vmPath(vm, 'alerts'), { query: { from: zoom?.from, to: zoom?.to, mark: 'none,acknowledged', limit: MARKERS }, signal }),
    ]);
    timeline = answer;
    alerts = marked.items ?? [];
    render(keepZoom);
  });
}

const laneLabel = (lane) => (lane.key == null ? lane.name : `${lane.name} (${pidOfKey(lane.key)})`);
/** The lane's label, and its image's whole path on a second line when known (cell tooltips). */
const laneTitle = (lane) => [laneLabel(lane), lane.image].filter(Boolean).join('\n');
const bucketStart = (b) => timeline.fromNanos + b * timeline.bucketNanos;

function render(keepZoom) {
  const t = timeline;
  const lanes = t.lanes ?? [];
  const column = 1 + Math.max(0, (t.categories ?? []).indexOf(categorySelect.value) + 1);  // cells: [bucket, all, ...categories]
  const data = [];
  let max = 1;
  lanes.forEach((lane, y) => {
    for (const cell of lane.cells ?? []) {
      const count = cell[column] ?? 0;
      if (count > 0) {
        data.push([cell[0], y, Math.log1p(count), count]);   // colour on a log scale, tooltip shows the count
        max = Math.max(max, count);
      }
    }
  });
  container.dataset.lanes = String(lanes.length);
  container.dataset.alertMarkers = String(alerts.length);
  container.style.height = `${Math.max(300, lanes.length * LANE_HEIGHT + CHROME_HEIGHT)}px`;
  // a stored process list (Volatility) has snapshots but no process events: say where it is shown instead
  setText(info, lanes.length === 0
    ? `no process events at ${fmtTime(t.fromNanos)}: process lists (snapshots) are shown in the Tree view`
    : `${fmtNum(t.processes)} processes with events · ${fmtTime(t.fromNanos)} – `
      + `${fmtTime(bucketStart(t.buckets))} · buckets of ${fmtNum(t.bucketNanos / 1e6, 3)} ms`
      + (alerts.length ? ` · ${fmtNum(alerts.length)} alerts marked ⚠ (the Alerts view lists them)` : ''));
  chartOf(container, wire).resize();
  chart.setOption(option(t, lanes, data, max), keepZoom ? { replaceMerge: ['series', 'xAxis', 'yAxis'] } : { notMerge: true });
}

function option(t, lanes, data, max) {
  return {
    animation: false,
    grid: { left: 8, right: 24, top: 36, bottom: 56, containLabel: true },
    tooltip: textTooltip(({ value }) => `${laneTitle(lanes[value[1]])}\n${fmtTime(bucketStart(value[0]))}\n`
      + `${fmtNum(value[3])} ${categorySelect.value} events`),
    toolbox: { right: 16, feature: {} },
    brush: { toolbox: ['lineX', 'clear'], xAxisIndex: 0 },
    xAxis: {
      type: 'category',
      data: Array.from({ length: t.buckets }, (_, b) => fmtClock(bucketStart(b))),
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category', inverse: true,
      data: lanes.map((lane) => shorten(laneLabel(lane), 32)),
      axisLabel: { fontSize: 11, interval: 0 },
    },
    visualMap: {
      show: false, min: 0, max: Math.log1p(max), dimension: 2,
      inRange: { color: ['#e3edf9', '#8fb6e4', '#3a78c2', '#173a73'] },
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }, { type: 'slider', xAxisIndex: 0, height: 18, bottom: 8 }],
    series: [{
      type: 'heatmap', data, progressive: 0, emphasis: { itemStyle: { borderColor: '#222', borderWidth: 1 } },
      markLine: alertMarkers(t),
    }],
  };
}

/** A line at the bucket of each alert, in its level's colour, labelled ⚠ at the top; silent, so never a tooltip. */
function alertMarkers(t) {
  const bucket = (nanos) => Math.min(t.buckets - 1, Math.max(0, Math.floor((nanos - t.fromNanos) / t.bucketNanos)));
  return {
    silent: true, symbol: 'none', animation: false,
    label: { formatter: '⚠', position: 'start' },
    data: alerts.map((a) => ({ xAxis: bucket(a.timeNanos), lineStyle: { color: LEVEL_COLOURS[a.level] ?? LEVEL_COLOURS.informational, type: 'solid', width: 2 } })),
  };
}

function wire(created) {
  chart = created;
  chart.on('brushEnd', ({ areas }) => {
    const range = areas?.[0]?.coordRange;
    if (!range || !timeline) return setRange(null);
    const [first, last] = range.map((b) => Math.min(timeline.buckets - 1, Math.max(0, Math.round(b))));
    setRange({ from: bucketStart(first), to: bucketStart(last + 1) });
  });
  chart.on('click', ({ value }) => {
    const key = timeline?.lanes?.[value?.[1]]?.key;
    if (key) go('tree', vm, key);
  });
}

categorySelect.addEventListener('change', () => timeline && render(true));

zoomButton.addEventListener('click', () => {
  zoom = state.range;
  reload(false);
});

on('range', () => {
  zoomButton.disabled = !state.range;
  if (state.range) return;
  chart?.dispatchAction({ type: 'brush', areas: [] });
  if (zoom) {
    zoom = null;
    if (isShown(section)) reload(false);
  }
});
