// Event tables shared by the events view and the process panel: rows, the page label, paging and the detail box.
import { api, vmPath } from './api.js';
import { el, fill, lines } from './dom.js';
import { fmtNum, fmtTime } from './format.js';
import { loader } from './view.js';

/**
 * A row: time, [pid, process,] kind, name, summary — the name and summary as the server describes the event
 * (text, capped), the process by its base name with the whole path on hover.
 */
export function eventRow(ev, withProcess) {
  return el('tr', { dataset: { id: ev.id } },
    el('td', { class: 'time' }, fmtTime(ev.timeNanos)),
    withProcess && el('td', { class: 'num' }, ev.pid >= 0 ? ev.pid : ''),
    withProcess && el('td', { class: 'proc-name', title: ev.processPath ?? '' }, ev.processName ?? ev.process),
    el('td', { class: 'kind', title: ev.action }, ev.kind),
    el('td', { class: 'label', title: ev.name ?? '' }, ev.label ?? ev.name ?? ''),
    el('td', { class: 'summary' }, ev.summary ?? ''));
}

/** '1–100 of 12,345' of a page {offset, total, items} (events or alerts). */
export function pageLabel(page) {
  const count = page.items?.length ?? 0;
  if (!count) return `0 of ${fmtNum(page.total ?? 0)}`;
  return `${fmtNum(page.offset + 1)}–${fmtNum(page.offset + count)} of ${fmtNum(page.total)}`;
}

/**
 * Paging over an event list: tbody rows from a page, prev/next buttons that call load(newOffset),
 * clicks on rows open the event's detail in detailBox.
 */
export function eventList({ tbody, label, prev, next, detailBox, withProcess, pageSize, load, vmOf }) {
  let current = { offset: 0, total: 0, items: [] };
  prev.addEventListener('click', () => load(Math.max(0, current.offset - pageSize)));
  next.addEventListener('click', () => load(current.offset + pageSize));
  const showDetail = detailView(detailBox);
  tbody.addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-id]');
    if (!row) return;
    tbody.querySelector('tr.selected')?.classList.remove('selected');
    row.classList.add('selected');
    showDetail(vmOf(), row.dataset.id);
  });
  return {
    render(page) {
      current = { offset: page.offset ?? 0, total: page.total ?? 0, items: page.items ?? [] };
      tbody.replaceChildren(...current.items.map((ev) => eventRow(ev, withProcess)));
      label.textContent = pageLabel(current);
      prev.disabled = current.offset === 0;
      next.disabled = current.offset + current.items.length >= current.total;
    },
    hideDetail() { detailBox.hidden = true; },
  };
}

/** Shows one event whole: its JSON, and the imported original line in a second pre when there is one. */
function detailView(box) {
  const load = loader(box);
  return (vm, id) => {
    box.hidden = false;
    return load(async (signal) => {
      const detail = await api('GET', vmPath(vm, 'events', id), { signal });
      fill(box,
        el('h3', {}, `event ${detail.id}`),
        el('pre', { class: 'event-json' }, lines(JSON.stringify(detail, null, 2))),
        detail.original != null && [el('h4', {}, 'original'), el('pre', { class: 'event-original' }, lines(detail.original))]);
    });
  };
}
