// The behaviour graphs, each as a force graph and as a plain list with the same content. Without a process: the
// whole VM, as sandbox reports draw it — processes linked to their parents and to the groups of files, registry keys
// and hosts they touched. With one: what that process touched — images, files, endpoints, registry keys, children.
// The node count is bounded whatever the VM did; the server says what it left out.
import { api, vmPath } from './api.js';
import { el, byId, setText } from './dom.js';
import { chartOf, textTooltip } from './charts.js';
import { fmtNum, fmtRange, pidOfKey, printable, shorten } from './format.js';
import { go, href } from './router.js';
import { on, state } from './state.js';
import { loader } from './view.js';

const TOP = 8;             // a process's targets per kind, asked of the API
const GROUPS = 5;          // a process's group nodes per kind; the rest become one node
const CHILDREN = 12;       // a process's child nodes; the rest become one node
const VM_PROCESSES = 30;   // the VM graph's busiest processes (the API adds their ancestors)
const VM_GROUPS = 8;       // the VM graph's groups per kind
const LABEL = 28;

const CATEGORIES = ['process', 'child', 'image', 'file', 'endpoint', 'registry', 'host', 'group'];
// Each kind its own colour and shape; the access (write, delete) is the node's ring and the edge's colour.
const STYLES = {
  process: ['#4a6fa5', 'circle'], child: ['#7b9ccc', 'circle'], image: ['#8e6bb5', 'roundRect'], file: ['#6b7b8c', 'rect'],
  endpoint: ['#2e8b57', 'triangle'], registry: ['#b08d2e', 'diamond'], host: ['#2e8b57', 'triangle'], group: ['#a0a7b0', 'roundRect'],
};
const PATHS = new Set(['image', 'file', 'registry', 'group']);
const KINDS = [['images', 'image'], ['files', 'file'], ['endpoints', 'endpoint'], ['registry', 'registry']];
const ACCESS_COLOURS = { delete: '#c8372d', write: '#e07b00', read: '#3a78c2' };
const PLURALS = { file: 'files', registry: 'keys', host: 'addresses', image: 'images', endpoint: 'endpoints' };

const section = byId('view-graph');
const container = byId('graph-chart');
const list = byId('graph-list');
const title = byId('graph-title');
const vmLink = byId('graph-vm');
const note = byId('graph-note');
const rangeNote = byId('graph-range');
const load = loader(section);

let vm = null;
let key = null;

export function show(route) {
  ({ vm, key } = route);
  showRange();
  vmLink.hidden = !key;
  vmLink.setAttribute('href', href('graph', vm));
  return load(async (signal) => {
    const model = key
      ? processModel(await api('GET', vmPath(vm, 'processes', key, 'graph'), { query: { top: TOP }, signal }))
      : vmModel(await api('GET', vmPath(vm, 'graph'), { query: { processes: VM_PROCESSES, groups: VM_GROUPS }, signal }));
    render(model);
  });
}

export const refresh = () => show({ vm, key });

function showRange() {
  rangeNote.textContent = state.range
    ? `range ${fmtRange(state.range)} — not applied here: the graph covers the whole run` : '';
}
on('range', showRange);

const processLabel = (name, pid) => `${name} (pid ${pid})`;

/** The whole VM: process nodes first, then group nodes; tree links parent → child, touch links process → group. */
function vmModel(g) {
  const processes = g.processes ?? [];
  const index = new Map(processes.map((p, i) => [p.key, i]));
  const nodes = processes.map((p) => ({
    category: 'process', label: processLabel(p.name, p.pid), events: p.events, key: p.key,
    path: p.image, detail: p.children ? `${fmtNum(p.children)} child processes` : '',
  }));
  const offset = nodes.length;
  for (const r of g.resources ?? []) {
    const what = r.targets === 1 ? '' : `${fmtNum(r.targets)} ${PLURALS[r.kind]}`;
    nodes.push({
      category: r.kind, label: r.sample ?? r.group, suffix: what ? ` (${what})` : '', events: r.events,
      access: r.access || null, detail: [r.access, what].filter(Boolean).join(' · '),
    });
  }
  const links = [];
  for (const p of processes) {
    if (p.parent != null && index.has(p.parent)) links.push({ source: index.get(p.parent), target: index.get(p.key), tree: true });
  }
  for (const l of g.links ?? []) {
    if (index.has(l.process)) {
      links.push({ source: index.get(l.process), target: offset + l.resource, value: l.events, access: l.access || null });
    }
  }
  const hidden = Object.entries(g.hiddenGroups ?? {}).filter(([, n]) => n > 0)
    .map(([kind, n]) => `${fmtNum(n)} ${kind} groups`);
  if (g.hiddenProcesses > 0) hidden.unshift(`${fmtNum(g.hiddenProcesses)} quieter processes`);
  return {
    title: `behaviour of ${g.vm}`, nodes, links, star: false,
    note: hidden.length ? `not shown: ${hidden.join(', ')} — pick a process for its own graph` : 'pick a process for its own graph',
  };
}

/** One process: node 0 is the process, every other node is linked to it. */
function processModel(g) {
  const p = g.process;
  const nodes = [{ category: 'process', label: processLabel(p.name, p.pid), events: p.events, detail: 'this process', key: p.key, path: p.image }];
  for (const [field, category] of KINDS) {
    const targets = g[field] ?? {};
    for (const t of (targets.top ?? []).slice(0, TOP)) {
      const access = ['file', 'registry'].includes(category) ? t.access : null;
      nodes.push({ category, label: t.name, events: t.events, access,
        detail: [access, (t.operations ?? []).join(', ')].filter(Boolean).join(' · ') });
    }
    const groups = targets.groups ?? [];
    for (const group of groups.slice(0, GROUPS)) {
      nodes.push({ category: 'group', label: group.group, suffix: ` (+${fmtNum(group.more)} more)`, events: group.events, detail: `${PLURALS[category]} grouped` });
    }
    const rest = groups.slice(GROUPS);
    if (rest.length) {
      const more = rest.reduce((sum, group) => sum + (group.more ?? 0), 0);
      nodes.push({ category: 'group', label: `+${fmtNum(rest.length)} more ${category} groups (${fmtNum(more)} ${PLURALS[category]})`,
        events: rest.reduce((sum, group) => sum + (group.events ?? 0), 0), detail: '' });
    }
  }
  const children = g.children ?? [];
  for (const child of children.slice(0, CHILDREN)) {
    nodes.push({ category: 'child', label: processLabel(child.name, pidOfKey(child.key)), events: child.events, key: child.key, detail: 'child process' });
  }
  const moreChildren = (g.moreChildren ?? 0) + Math.max(0, children.length - CHILDREN);
  if (moreChildren > 0) nodes.push({ category: 'child', label: `+${fmtNum(moreChildren)} more children`, events: null, detail: '' });
  const links = nodes.slice(1).map((node, i) => ({ source: 0, target: i + 1, value: node.events, access: node.access }));
  return { title: `behaviour of ${processLabel(p.name, p.pid)}`, nodes, links, star: true, note: '' };
}

/** A long path by its last two parts (…Updater\upd.exe, …CurrentVersion\Run): the whole one is in the tooltip and list. */
function tail(path) {
  const parts = path.split(/(?<=[\\/])/);
  return path.length > LABEL && parts.length > 2 ? `…${parts.slice(-2).join('')}` : path;
}

/** A node's label on the chart: paths by their tail, everything cut to LABEL characters. */
const chartLabel = (node) => shorten((PATHS.has(node.category) ? tail(node.label) : node.label) + (node.suffix ?? ''), LABEL);

function render(model) {
  const { nodes, links } = model;
  setText(title, model.title);
  setText(note, model.note);
  renderList(model);
  const maxLog = Math.log1p(Math.max(1, ...nodes.map((n) => n.events ?? 0)));
  const scale = (events) => Math.log1p(events ?? 0) / maxLog;
  chartOf(container, wire).setOption({
    animationDuration: 300,
    tooltip: textTooltip(({ dataType, data }) => (dataType === 'node'
      ? [`${data.node.category}: ${data.node.label}${data.node.suffix ?? ''}`, data.node.path, data.node.detail, eventsText(data.node.events)]
        .filter(Boolean).join('\n')
      : (data.tree ? 'parent → child' : eventsText(data.value)))),
    legend: { data: CATEGORIES.filter((c) => nodes.some((n) => n.category === c)), top: 4 },
    series: [{
      type: 'graph', layout: 'force', roam: true, draggable: true,
      force: model.star ? { repulsion: 260, edgeLength: [70, 170], gravity: 0.08 } : { repulsion: 300, edgeLength: [50, 130], gravity: 0.1 },
      categories: CATEGORIES.map((name) => ({ name, symbol: STYLES[name][1], itemStyle: { color: STYLES[name][0] } })),
      label: { show: true, position: 'right', fontSize: 11, formatter: ({ data }) => chartLabel(data.node) },
      labelLayout: { hideOverlap: !model.star },   // the VM's graph is denser; the list below has every label
      edgeLabel: { show: model.star, fontSize: 10, color: '#666', formatter: ({ data }) => (data.value ? fmtNum(data.value) : '') },
      data: nodes.map((node, i) => ({
        id: String(i), name: printable(node.label), node, value: node.events ?? 0,
        category: CATEGORIES.indexOf(node.category),
        symbolSize: model.star && i === 0 ? 42 : (node.category === 'process' ? 16 : 10) + 16 * scale(node.events),
        itemStyle: ['write', 'delete'].includes(node.access) ? { borderColor: accessColour(node.access), borderWidth: 3 } : undefined,
        label: node.category === 'process' ? { fontWeight: 'bold' } : undefined,
      })),
      links: links.map((link) => ({
        source: link.source, target: link.target, value: link.value ?? 0, tree: Boolean(link.tree),
        symbol: link.tree ? ['none', 'arrow'] : ['none', 'none'],
        lineStyle: link.tree ? { width: 2, color: '#5b6570', opacity: 0.9 }
          : { width: 1 + 3 * scale(link.value), opacity: 0.5, color: link.access ? accessColour(link.access) : '#9aa5b1' },
      })),
    }],
  }, { notMerge: true });
}

const eventsText = (events) => (events == null ? '' : `${fmtNum(events)} events`);

function accessColour(access) {
  const found = Object.keys(ACCESS_COLOURS).find((kind) => access.toLowerCase().includes(kind));
  return ACCESS_COLOURS[found] ?? ACCESS_COLOURS.read;
}

/** The same nodes as a list: processes link to their own graph; a group says which shown processes touched it. */
function renderList({ nodes, links, star }) {
  const touchedBy = new Map();
  for (const link of star ? [] : links) {
    if (link.tree) continue;
    if (!touchedBy.has(link.target)) touchedBy.set(link.target, []);
    touchedBy.get(link.target).push(nodes[link.source].label);
  }
  list.replaceChildren(...nodes.map((node, i) => el('li', { dataset: node.key ? { category: node.category, key: node.key } : { category: node.category } },
    el('span', { class: 'category' }, node.category), ' ',
    node.key && node.key !== key ? el('a', { href: href('graph', vm, node.key) }, node.label)
      : el('span', { class: 'label' }, node.label + (node.suffix ?? '')),
    node.path && node.path !== node.label ? [' ', el('span', { class: 'path' }, node.path)] : '',
    node.detail ? ` — ${node.detail}` : '',
    node.events == null ? '' : ` — ${eventsText(node.events)}`,
    touchedBy.has(i) ? ` — by ${touchedBy.get(i).join(', ')}` : '')));
}

function wire(chart) {
  chart.on('click', ({ dataType, data }) => {
    if (dataType === 'node' && data.node.key && data.node.key !== key) go('graph', vm, data.node.key);
  });
}
