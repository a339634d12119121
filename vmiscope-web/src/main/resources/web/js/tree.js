// The process tree. Only expanded nodes' children are in the DOM, and at most CHILD_LIMIT of them per node,
// so thousands of processes render fast; search and selection expand what they need.
import { api, vmPath } from './api.js';
import { el, byId } from './dom.js';
import { clip, fmtNum, fmtTime } from './format.js';
import { levelBadge } from './levels.js';
import * as panel from './panel.js';
import { href } from './router.js';
import { on, state, setSelected } from './state.js';
import { debounce, isShown, loader } from './view.js';

const CHILD_LIMIT = 300;
const OPEN_LEVELS = 2;
const MAX_DEPTH = 256;     // parent cycles in hostile data must not recurse forever
const ROOTS = '';          // the parent key of the roots, for CHILD_LIMIT paging

const section = byId('view-tree');
const box = byId('tree');
const search = byId('tree-search');
const matchLabel = byId('tree-matches');
const allBox = byId('tree-all');
const slider = byId('tree-time');
const timeLabel = byId('tree-time-label');
const load = loader(section);

let vm = null;
let procs = new Map();       // key → Process of the loaded tree
let alerts = new Map();      // key → {alerts, highest}: the processes alerts are about (false positives left out)
let roots = [];
let maxEvents = 1;
const expanded = new Map();  // key → open? as chosen by the user or a search; otherwise open when level < OPEN_LEVELS
const limits = new Map();    // parent key → how many children are shown
let matches = new Set();
let keep = new Set();        // matches, the selection and their ancestors: shown even past the limit
let selected = null;

export function show(route) {
  if (route.vm !== vm) reset(route.vm);
  if (route.key) {
    selected = route.key;
    if (panel.openKey() !== route.key) panel.open(vm, route.key);
    setSelected(vm, route.key);
  }
  return reload({ reveal: Boolean(route.key) });
}

/** Re-fetches, keeping selection, expansion and scroll. */
export function refresh() {
  panel.refresh();
  return reload({ reveal: false });
}

function reset(newVm) {
  vm = newVm;
  shown = '';
  expanded.clear();
  limits.clear();
  selected = null;
  slider.dataset.vm = '';
  allBox.checked = true;   // the slider's time belongs to the previous VM
  updateTimeLabel();
  panel.close();
}

let shown = '';   // the tree last drawn, as received: a live refresh that changes nothing redraws nothing

function reload({ reveal }) {
  return load(async (signal) => {
    const tree = await api('GET', vmPath(vm, 'tree'), { query: treeQuery(), signal });
    const text = JSON.stringify(tree);
    if (!reveal && text === shown) return;
    shown = text;
    const scroll = box.scrollTop;
    setData(tree);
    render();
    if (reveal && selected) revealSelected();
    else box.scrollTop = scroll;
  });
}

function treeQuery() {
  if (!allBox.checked) return { at: Math.round(Number(slider.value)) };
  return state.range ? { from: state.range.from, to: state.range.to } : {};
}

function setData(tree) {
  procs = new Map((tree.processes ?? []).map((p) => [p.key, p]));
  alerts = new Map(Object.entries(tree.alerts ?? {}));
  // Processes whose parent is not in this tree are roots too, so none is unreachable.
  const rootSet = new Set((tree.roots ?? []).filter((k) => procs.has(k)));
  for (const p of procs.values()) if (!procs.has(p.parent)) rootSet.add(p.key);
  roots = [...rootSet];
  maxEvents = 1;
  for (const p of procs.values()) maxEvents = Math.max(maxEvents, p.events ?? 0);
  updateSlider(tree.firstNanos, tree.lastNanos);
  findMatches();
}

const childrenOf = (key) => (key === ROOTS ? roots : (procs.get(key)?.children ?? []).filter((k) => procs.has(k)));

function ancestors(key) {
  const chain = [];
  const seen = new Set([key]);
  for (let p = procs.get(procs.get(key)?.parent); p && !seen.has(p.key); p = procs.get(p.parent)) {
    seen.add(p.key);
    chain.push(p.key);
  }
  return chain;
}

// --- rendering ---

function render() {
  box.replaceChildren(nodeList(ROOTS, 0));
  performance.mark('tree-rendered');
}

/** The nodes under a parent: the first `limit` children, the ones to keep, and a "show more" button. */
function nodeList(parentKey, level) {
  const fragment = document.createDocumentFragment();
  const keys = childrenOf(parentKey);
  const limit = limits.get(parentKey) ?? CHILD_LIMIT;
  let shown = 0;
  keys.forEach((key, i) => {
    if (i >= limit && !keep.has(key)) return;
    fragment.append(node(key, level));
    shown++;
  });
  const hidden = keys.length - shown;
  if (hidden > 0) {
    fragment.append(el('button', { class: 'more', type: 'button', dataset: { parent: parentKey, level } },
      `show ${fmtNum(Math.min(hidden, CHILD_LIMIT))} more (${fmtNum(hidden)} hidden)`));
  }
  return fragment;
}

function node(key, level) {
  const p = procs.get(key);
  const hasKids = childrenOf(key).length > 0 && level < MAX_DEPTH;
  const open = hasKids && (expanded.get(key) ?? level < OPEN_LEVELS);
  const item = el('div', { class: 'node', dataset: { level } }, row(p, hasKids, open));
  if (open) item.append(kids(key, level + 1));
  return item;
}

const kids = (key, level) => el('div', { class: 'kids', role: 'group' }, nodeList(key, level));

function row(p, hasKids, open) {
  const classes = ['proc'];
  if (p.kernelThread) classes.push('kthread');
  if (matches.has(p.key)) classes.push('match');
  if (p.key === selected) classes.push('selected');
  const width = (100 * Math.log1p(p.events ?? 0)) / Math.log1p(maxEvents);
  return el('div', { class: classes.join(' '), role: 'treeitem', dataset: { key: p.key, lifetime: p.lifetime } },
    hasKids
      ? el('button', { class: 'toggle', type: 'button', 'aria-expanded': String(open), title: open ? 'collapse' : 'expand' }, open ? '▾' : '▸')
      : el('span', { class: 'toggle-space' }),
    el('span', { class: 'proc-name', title: p.image ?? '' }, p.name),
    el('span', { class: 'proc-pid' }, `pid ${p.pid}`),
    alertBadge(alerts.get(p.key)),
    el('span', { class: 'proc-cmd', title: p.commandLine ?? '' }, clip(p.commandLine ?? '', 120)),
    el('span', { class: 'proc-bar', title: `${fmtNum(p.events)} events` }, el('span', { style: { width: `${width}%` } })));
}

/** '⚠ 2' in the colour of the most serious level, for a process that alerts are about. */
function alertBadge(count) {
  if (!count) return null;
  const badge = levelBadge(count.highest, `⚠ ${fmtNum(count.alerts)}`);
  badge.classList.add('alert-badge');
  badge.title = `${fmtNum(count.alerts)} ${count.alerts === 1 ? 'alert' : 'alerts'}, the most serious ${count.highest}`;
  return badge;
}

function toggle(rowNode) {
  const item = rowNode.parentElement;
  const key = rowNode.dataset.key;
  const open = !item.querySelector(':scope > .kids');
  expanded.set(key, open);
  if (open) item.append(kids(key, Number(item.dataset.level) + 1));
  else item.querySelector(':scope > .kids').remove();
  const button = rowNode.querySelector('.toggle');
  button.textContent = open ? '▾' : '▸';
  button.setAttribute('aria-expanded', String(open));
  button.title = open ? 'collapse' : 'expand';
}

function showMore(button) {
  const parentKey = button.dataset.parent;
  limits.set(parentKey, (limits.get(parentKey) ?? CHILD_LIMIT) + CHILD_LIMIT);
  button.parentElement.replaceChildren(nodeList(parentKey, Number(button.dataset.level)));
}

const rowOf = (key) => box.querySelector(`.proc[data-key="${CSS.escape(key)}"]`);

function select(key) {
  selected = key;
  box.querySelector('.proc.selected')?.classList.remove('selected');
  rowOf(key)?.classList.add('selected');
  history.replaceState(null, '', href('tree', vm, key));
  setSelected(vm, key);
  panel.open(vm, key);
}

/** Expands the selection's ancestors and scrolls it into view. */
function revealSelected() {
  if (!procs.has(selected)) return;
  if (!rowOf(selected)) {
    ancestors(selected).forEach((a) => expanded.set(a, true));
    updateKeep();
    render();
  }
  rowOf(selected)?.scrollIntoView({ block: 'center' });
}

box.addEventListener('click', (e) => {
  const more = e.target.closest('button.more');
  if (more) return showMore(more);
  const rowNode = e.target.closest('.proc');
  if (!rowNode) return;
  if (e.target.closest('button.toggle')) toggle(rowNode);
  else select(rowNode.dataset.key);
});

byId('pp-close').addEventListener('click', () => {
  panel.close();
  selected = null;
  box.querySelector('.proc.selected')?.classList.remove('selected');
  history.replaceState(null, '', href('tree', vm));
  setSelected(vm, null);
});

// --- search ---

function findMatches() {
  const query = search.value.trim().toLowerCase();
  matches = new Set();
  if (query) {
    for (const p of procs.values()) {
      if (String(p.pid) === query || p.name?.toLowerCase().includes(query) || p.commandLine?.toLowerCase().includes(query)) {
        matches.add(p.key);
      }
    }
  }
  for (const key of matches) ancestors(key).forEach((a) => expanded.set(a, true));
  updateKeep();
  matchLabel.textContent = query ? `${fmtNum(matches.size)} ${matches.size === 1 ? 'match' : 'matches'}` : '';
}

function updateKeep() {
  keep = new Set(matches);
  for (const key of matches) ancestors(key).forEach((a) => keep.add(a));
  if (selected) [selected, ...ancestors(selected)].forEach((k) => keep.add(k));
}

search.addEventListener('input', debounce(() => {
  findMatches();
  render();
  box.querySelector('.proc.match')?.scrollIntoView({ block: 'nearest' });
}, 200));

// --- time: all processes, or those alive at the slider's time ---

function updateSlider(first, last) {
  slider.disabled = first == null || last == null;
  if (slider.disabled) return;
  slider.min = String(first);
  slider.max = String(last);
  if (slider.dataset.vm !== vm) {   // a new VM starts at its latest time
    slider.dataset.vm = vm;
    slider.value = String(last);
  }
  updateTimeLabel();
}

function updateTimeLabel() {
  timeLabel.textContent = allBox.checked ? '' : fmtTime(Number(slider.value));
  slider.classList.toggle('inactive', allBox.checked);
}

const reloadSoon = debounce(() => reload({ reveal: false }), 200);

slider.addEventListener('input', () => {
  allBox.checked = false;
  updateTimeLabel();
  reloadSoon();
});

allBox.addEventListener('change', () => {
  updateTimeLabel();
  reload({ reveal: false });
});

on('range', () => {
  if (isShown(section) && allBox.checked) reload({ reveal: false });
});
