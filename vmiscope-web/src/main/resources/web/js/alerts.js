// The alerts view: the VM's alerts, newest first, filtered by level, rule, mark and text (and the global time range),
// with an alert's detail — explanation, follow-up, evidence events, the process's ancestry — and the marks people set.
import { api, vmPath } from './api.js';
import { el, byId, fill } from './dom.js';
import { eventRow, pageLabel } from './eventtable.js';
import { fmtNum, fmtTime } from './format.js';
import { LEVELS, levelBadge } from './levels.js';
import { href } from './router.js';
import { on, state } from './state.js';
import { debounce, isShown, loader } from './view.js';

const PAGE = 100;
const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
const MARK_NAMES = { acknowledged: 'acknowledged', false_positive: 'false positive' };
const EVIDENCE_COLUMNS = [['time', 'col-time'], ['pid', 'num col-pid'], ['process', 'col-process'], ['kind', 'col-kind'],
  ['name', 'col-name'], ['summary', null]];

const section = byId('view-alerts');
const load = loader(section);
const body = byId('alerts-table').tBodies[0];
const empty = byId('alerts-empty');
const counts = byId('al-counts');
const pageText = byId('al-page-label');
const prev = byId('al-prev');
const next = byId('al-next');
const detailBox = byId('alert-detail');
const loadDetail = loader(detailBox);
const inputs = { level: byId('al-level'), rule: byId('al-rule'), mark: byId('al-mark'), text: byId('al-text') };

let vm = null;
let offset = 0;
let total = 0;
let selected = null;   // the id of the alert whose detail is open

export function show(route) {
  if (route.vm !== vm) {
    vm = route.vm;
    offset = 0;
  }
  selected = route.key;
  detailBox.hidden = !selected;
  return Promise.all([reload(), selected ? reloadDetail() : null]);
}

export const refresh = () => Promise.all([reload(), selected ? reloadDetail() : null]);

/** A live alert of the shown VM: re-read the list (a burst reads once). */
export const alertArrived = debounce((alertVm) => {
  if (isShown(section) && alertVm === vm) reload();
}, 500);

function query() {
  return {
    level: inputs.level.value, rule: inputs.rule.value.trim(), mark: inputs.mark.value, text: inputs.text.value,
    from: state.range?.from, to: state.range?.to, offset, limit: PAGE,
  };
}

function reload() {
  return load(async (signal) => render(await api('GET', vmPath(vm, 'alerts'), { query: query(), signal })));
}

function render(page) {
  const items = page.items ?? [];
  total = page.total ?? 0;
  body.replaceChildren(...items.map(row));
  empty.hidden = items.length > 0;
  fill(counts, LEVELS.filter((l) => page.byLevel?.[l]).map((l) => [levelBadge(l, `${l} ${fmtNum(page.byLevel[l])}`), ' ']));
  pageText.textContent = pageLabel({ offset, total, items });
  prev.disabled = offset === 0;
  next.disabled = offset + items.length >= total;
}

/** ATT&CK ids as plain links to attack.mitre.org (nothing is fetched); anything else as text. */
function techniques(ids) {
  return (ids ?? []).map((t, i) => [i ? ', ' : '', TECHNIQUE.test(t)
    ? el('a', { href: `https://attack.mitre.org/techniques/${t.replace('.', '/')}/`, target: '_blank', rel: 'noopener noreferrer' }, t)
    : t]);
}

function processLink(a) {
  const name = `${a.processName || '?'} (${a.pid})`;
  return a.process ? el('a', { class: 'proc-name', href: href('tree', vm, a.process) }, name) : el('span', { class: 'proc-name' }, name);
}

function markButtons(a) {
  const mark = a.mark?.mark;
  return [
    mark !== 'acknowledged' && el('button', { type: 'button', dataset: { mark: 'acknowledged' } }, 'acknowledge'),
    mark !== 'false_positive' && el('button', { type: 'button', dataset: { mark: 'false_positive' } }, 'false positive'),
    mark && el('button', { type: 'button', dataset: { mark: '' }, title: 'remove the mark' }, 'clear'),
  ];
}

function markCell(a) {
  return el('td', { class: 'mark' },
    a.mark && el('span', { class: `marked ${a.mark.mark}`, title: a.mark.note ?? '' }, MARK_NAMES[a.mark.mark] ?? a.mark.mark), ' ',
    el('span', { class: 'mark-buttons' }, markButtons(a)));
}

function row(a) {
  return el('tr', { dataset: { id: a.id, level: a.level }, class: a.id === selected ? 'selected' : null },
    el('td', {}, levelBadge(a.level)),
    el('td', { class: 'time' }, fmtTime(a.timeNanos)),
    el('td', { class: 'rule' }, el('span', { class: 'title' }, a.title), ' ', el('code', { class: 'rule-id' }, a.ruleId)),
    el('td', { class: 'techniques' }, techniques(a.techniques)),
    el('td', {}, processLink(a)),
    markCell(a));
}

async function setMark(id, mark, note) {
  await api('PUT', vmPath(vm, 'alerts', id, 'mark'), { body: { mark: mark || null, note: note || null } });
  await refresh();
}

function reloadDetail() {
  const id = selected;
  return loadDetail(async (signal) => renderDetail(await api('GET', vmPath(vm, 'alerts', id), { signal })));
}

function renderDetail(d) {
  const a = d.alert;
  const note = el('input', { id: 'alert-note', placeholder: 'note (optional)', 'aria-label': 'note', value: a.mark?.note ?? '' });
  fill(detailBox,
    el('div', { class: 'panel-head' }, el('h2', {}, levelBadge(a.level), ' ', a.title),
      el('button', { id: 'alert-close', type: 'button', title: 'close' }, '×')),
    el('dl', { class: 'alert-facts' },
      el('dt', {}, 'rule'), el('dd', {}, el('code', {}, a.ruleId)),
      el('dt', {}, 'time'), el('dd', {}, fmtTime(a.timeNanos)),
      el('dt', {}, 'techniques'), el('dd', {}, (a.techniques ?? []).length ? techniques(a.techniques) : 'none'),
      el('dt', {}, 'process'), el('dd', {}, processLink(a)),
      el('dt', {}, 'mark'), el('dd', { id: 'alert-mark' }, a.mark ? `${MARK_NAMES[a.mark.mark] ?? a.mark.mark} ${fmtTime(a.mark.timeNanos)}` : 'none')),
    el('h3', {}, 'why'), el('p', { class: 'explanation' }, a.explanation),
    el('h3', {}, 'follow-up'), el('p', { class: 'follow-up' }, a.followUp || 'none requested'),
    el('div', { class: 'toolbar mark-form', dataset: { id: a.id } }, note, markButtons(a)),
    el('h3', {}, `evidence (${fmtNum(d.evidence?.length ?? 0)} events)`),
    el('table', { id: 'alert-evidence', class: 'grid events' },
      el('thead', {}, el('tr', {}, EVIDENCE_COLUMNS.map(([name, cls]) => el('th', { class: cls }, name)))),
      el('tbody', {}, (d.evidence ?? []).map((ev) => eventRow(ev, true)))),
    viewsTables(d.evidence),
    el('h3', {}, 'process ancestry'),
    (d.ancestry ?? []).length
      ? el('ol', { id: 'alert-ancestry' }, d.ancestry.map((p) => el('li', {},
        el('a', { class: 'proc-name', href: href('tree', vm, p.key), title: p.image ?? '' }, `${p.name} (${p.pid})`), ' ',
        el('span', { class: 'proc-cmd' }, p.commandLine ?? ''))))
      : el('p', { class: 'note' }, 'the process tree does not know this process'));
}

// A cross-view finding's evidence says which view of the kernel saw what: one table per finding, text only.
function viewsTables(evidence) {
  return (evidence ?? []).filter((ev) => ev.kind === 'finding' && ev.fields && typeof ev.fields.views === 'object')
    .map((ev) => [
      el('h3', {}, `views compared by ${String(ev.fields.check ?? '')}: ${String(ev.fields.subject ?? '')}`),
      el('table', { class: 'grid alert-views' },
        el('thead', {}, el('tr', {}, el('th', {}, 'view'), el('th', {}, 'what it saw'))),
        el('tbody', {}, Object.entries(ev.fields.views).map(([view, saw]) =>
          el('tr', {}, el('td', {}, String(view)), el('td', {}, String(saw))))))]);
}

body.addEventListener('click', (e) => {
  const button = e.target.closest('button[data-mark]');
  const tr = e.target.closest('tr[data-id]');
  if (!tr) return;
  if (button) {
    setMark(tr.dataset.id, button.dataset.mark).catch(() => {});
    return;
  }
  if (e.target.closest('a')) return;
  location.hash = href('alerts', vm, tr.dataset.id);
});

detailBox.addEventListener('click', (e) => {
  if (e.target.closest('#alert-close')) {
    location.hash = href('alerts', vm);
    return;
  }
  const button = e.target.closest('.mark-form button[data-mark]');
  if (button) setMark(button.parentElement.dataset.id, button.dataset.mark, byId('alert-note')?.value).catch(() => {});
});

prev.addEventListener('click', () => { offset = Math.max(0, offset - PAGE); reload(); });
next.addEventListener('click', () => { offset += PAGE; reload(); });

byId('al-form').addEventListener('submit', (e) => {
  e.preventDefault();
  offset = 0;
  reload();
});

on('range', () => {
  if (!isShown(section)) return;
  offset = 0;
  reload();
});
