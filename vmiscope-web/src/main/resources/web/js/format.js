// Display helpers: every guest string goes through printable(), every number and time through one formatter here.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// Invisible or reordering characters that could disguise a name (bidi overrides, zero-width, line separators).
const INVISIBLE = /[\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/** The text with control characters shown as \xNN (and invisible ones as \uNNNN), so guest text can't hide or spoof. */
export function printable(s) {
  return String(s ?? '')
    .replace(CONTROL, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'))
    .replace(INVISIBLE, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Like printable() but keeps line breaks, for pre-formatted text such as pretty-printed JSON. */
export function printableLines(s) {
  return String(s ?? '').split('\n').map(printable).join('\n');
}

/** Cut in the middle, keeping both ends (a path's directory and file name both matter). */
export function shorten(s, max) {
  const t = printable(s);
  if (t.length <= max) return t;
  const head = Math.ceil((max - 1) / 2);
  return t.slice(0, head) + '…' + t.slice(t.length - (max - 1 - head));
}

/** Cut at the end. */
export function clip(s, max) {
  const t = printable(s);
  return t.length <= max ? t : t.slice(0, max - 1) + '…';
}

const pad = (n, width = 2) => String(n).padStart(width, '0');
const dateOf = (nanos) => new Date(Math.floor(nanos / 1e6));
const clockOf = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
const dayOf = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Local 'YYYY-MM-DD HH:MM:SS.mmm' of nanoseconds since the epoch. */
export function fmtTime(nanos) {
  return nanos == null ? '—' : `${dayOf(dateOf(nanos))} ${clockOf(dateOf(nanos))}`;
}

/** Local 'HH:MM:SS.mmm'. */
export function fmtClock(nanos) {
  return nanos == null ? '—' : clockOf(dateOf(nanos));
}

/** The value of an <input type=datetime-local step=0.001> for a time. */
export function toLocalInput(nanos) {
  return nanos == null ? '' : `${dayOf(dateOf(nanos))}T${clockOf(dateOf(nanos))}`;
}

/** Nanoseconds of a datetime-local value (read as local time), or null when empty or invalid. */
export function fromLocalInput(value) {
  const ms = value ? new Date(value).getTime() : NaN;
  return Number.isNaN(ms) ? null : ms * 1e6;
}

export function fmtRange(range) {
  return range ? `${fmtTime(range.from)} – ${fmtTime(range.to)}` : 'all time';
}

const numberFormats = new Map();
/** Thousands separators, at most `digits` decimals. */
export function fmtNum(n, digits = 0) {
  if (n == null || Number.isNaN(Number(n))) return '—';
  if (!numberFormats.has(digits)) numberFormats.set(digits, new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }));
  return numberFormats.get(digits).format(n);
}

/** A fraction as a percentage with one decimal; `trim` drops a '.0' (budgets read better as '10%'). */
export function fmtPct(fraction, trim = false) {
  if (fraction == null) return '—';
  const text = (fraction * 100).toFixed(1);
  return (trim ? text.replace(/\.0$/, '') : text) + '%';
}

/** 'predicted slowdown 12.3% (9.8–15.1%)' */
export function fmtPrediction(p) {
  if (!p) return 'no prediction';
  return `predicted slowdown ${fmtPct(p.slowdown)} (${(p.low * 100).toFixed(1)}–${fmtPct(p.high)})`;
}

/** The pid part of a process key 'PID@START'. */
export const pidOfKey = (key) => String(key ?? '').split('@')[0];

/**
 * The estimated slowdown against the budget: '≈ 38.0% of 10%', or '≥ 0.3% of 10%' when the estimate rests on
 * the VM-stopped time alone (a lower bound).
 */
export function fmtSlowdown(slowdown, budget, lowerBound) {
  if (slowdown == null) return '—';
  const value = `${lowerBound ? '≥' : '≈'} ${fmtPct(slowdown)}`;
  return budget == null ? value : `${value} of ${fmtPct(budget, true)}`;
}

export const isOverBudget = (slowdown, budget) => slowdown != null && budget != null && slowdown > budget;
