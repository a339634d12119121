// The behaviour graph: what one process touched — images, files, endpoints, children — around it, as a force
// graph and as a plain list. The node count is bounded whatever the process did.
import { api, vmPath } from './api.js';
import { el, byId, setText } from './dom.js';
import { chartOf, textTooltip } from './charts.js';
import { fmtNum, fmtRange, pidOfKey, printable, shorten } from './format.js';
import { go, href } from './router.js';
import { on, state } from './state.js';
import { loader } from './view.js';

const TOP = 8;           // targets per kind, asked of the API
const GROUPS = 5;        // group nodes per kind; the rest become one node
const CHILDREN = 12;     // child nodes; the rest become one node
const LABEL = 28;

const CATEGORIES = ['process', 'child', 'image', 'file', 'endpoint', 'group'];
const KINDS = [['images', 'image'], ['files', 'file'], ['endpoints', 'endpoint']];
const ACCESS_COLOURS = { delete: '#c8372d', write: '#e07b00', read: '#3a78c2' };

const section = byId('view-graph');
const container = byId('graph-chart');
const list = byId('graph-list');
const title = byId('graph-title');
const hint = byId('graph-hint');
const rangeNote = byId('graph-range');
const load = loader(section);

let vm = null;
let key = null;

export function show(route) {
  ({ vm, key } = route);
  showRange();
  return load(async (signal) => {
    hint.hidden = Boolean(key);
    container.hidden = !key;
    if (!key) {
      title.textContent = 'behaviour graph';
      list.replaceChildren();
      return;
    }
    const graph = await api('GET', vmPath(vm, 'processes', key, 'graph'), { query: { top: TOP }, signal });
    render(graph);
  });
}

export const refresh = () => show({ vm, key });

function showRange() {
  rangeNote.textContent = state.range
    ? `range ${fmtRange(state.range)} — not applied here: the graph covers the whole process` : '';
}
on('range', showRange);

/** Nodes (index 0 is the process) and their edges to it. */
function model(g) {
  const p = g.process;
  const nodes = [{ category: 'process', label: `${p.name} (pid ${p.pid})`, events: p.events, detail: 'this process', key: p.key }];
  for (const [field, category] of KINDS) {
    const targets = g[field] ?? {};
    for (const t of (targets.top ?? []).slice(0, TOP)) {
      const access = category === 'file' ? t.access : null;
      nodes.push({ category, label: t.name, events: t.events, access,
        detail: [access, (t.operations ?? []).join(', ')].filter(Boolean).join(' · ') });
    }
    const groups = targets.groups ?? [];
    for (const group of groups.slice(0, GROUPS)) {
      const dir = group.group.endsWith('/') ? group.group : `${group.group}/`;
      nodes.push({ category: 'group', label: `${dir} (+${fmtNum(group.more)} more)`, events: group.events, detail: `${category}s grouped` });
    }
    const rest = groups.slice(GROUPS);
    if (rest.length) {
      const more = rest.reduce((sum, group) => sum + (group.more ?? 0), 0);
      nodes.push({ category: 'group', label: `+${fmtNum(rest.length)} more ${category} groups (${fmtNum(more)} ${category}s)`,
        events: rest.reduce((sum, group) => sum + (group.events ?? 0), 0), detail: '' });
    }
  }
  const children = g.children ?? [];
  for (const child of children.slice(0, CHILDREN)) {
    nodes.push({ category: 'child', label: `${child.name} (pid ${pidOfKey(child.key)})`, events: child.events, key: child.key, detail: 'child process' });
  }
  const moreChildren = (g.moreChildren ?? 0) + Math.max(0, children.length - CHILDREN);
  if (moreChildren > 0) nodes.push({ category: 'child', label: `+${fmtNum(moreChildren)} more children`, events: null, detail: '' });
  return nodes;
}

function render(g) {
  const nodes = model(g);
  setText(title, `behaviour of ${g.process.name} (pid ${g.process.pid})`);
  renderList(nodes);
  const maxLog = Math.log1p(Math.max(1, ...nodes.map((n) => n.events ?? 0)));
  const scale = (events) => Math.log1p(events ?? 0) / maxLog;
  chartOf(container, wire).setOption({
    animationDuration: 300,
    tooltip: textTooltip(({ dataType, data }) => (dataType === 'node'
      ? [`${data.node.category}: ${data.node.label}`, data.node.detail, eventsText(data.node.events)].filter(Boolean).join('\n')
      : eventsText(data.value))),
    legend: { data: CATEGORIES, top: 4 },
    series: [{
      type: 'graph', layout: 'force', roam: true, draggable: true,
      force: { repulsion: 260, edgeLength: [70, 170], gravity: 0.08 },
      categories: CATEGORIES.map((name) => ({ name })),
      label: { show: true, position: 'right', fontSize: 11, formatter: ({ data }) => shorten(data.node.label, LABEL) },
      edgeLabel: { show: true, fontSize: 10, color: '#666', formatter: ({ data }) => (data.value ? fmtNum(data.value) : '') },
      data: nodes.map((node, i) => ({
        id: String(i), name: printable(node.label), node, value: node.events ?? 0,
        category: CATEGORIES.indexOf(node.category),
        symbolSize: i === 0 ? 42 : 12 + 16 * scale(node.events),
        itemStyle: node.access ? { color: accessColour(node.access) } : undefined,
        label: i === 0 ? { fontWeight: 'bold' } : undefined,
      })),
      links: nodes.slice(1).map((node, i) => ({
        source: 0, target: i + 1, value: node.events ?? 0,
        lineStyle: { width: 1 + 4 * scale(node.events), opacity: 0.6 },
      })),
    }],
  }, { notMerge: true });
}

const eventsText = (events) => (events == null ? '' : `${fmtNum(events)} events`);

function accessColour(access) {
  const found = Object.keys(ACCESS_COLOURS).find((kind) => access.toLowerCase().includes(kind));
  return ACCESS_COLOURS[found] ?? ACCESS_COLOURS.read;
}

function renderList(nodes) {
  list.replaceChildren(...nodes.map((node) => el('li', { dataset: { category: node.category } },
    el('span', { class: 'category' }, node.category), ' ',
    node.key && node.category === 'child' ? el('a', { href: href('graph', vm, node.key) }, node.label) : el('span', { class: 'label' }, node.label),
    node.detail ? ` — ${node.detail}` : '',
    node.events == null ? '' : ` — ${eventsText(node.events)}`)));
}

function wire(chart) {
  chart.on('click', ({ dataType, data }) => {
    if (dataType === 'node' && data.node.category === 'child' && data.node.key) go('graph', vm, data.node.key);
  });
}
