// Hash routes: #/vms, #/vm/{vm}/{view}[/{key}] — {vm} and {key} (a process key, or an alert's id) URI-encoded.
export const VIEWS = ['vms', 'tree', 'timeline', 'graph', 'events', 'alerts', 'overhead'];

/** {view, vm, key} of a hash, or null when it is no route. */
export function parseHash(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeSegment);
  if (parts.length === 1 && parts[0] === 'vms') return { view: 'vms', vm: null, key: null };
  const [head, vm, view, key] = parts;
  if (head !== 'vm' || !vm || !VIEWS.includes(view) || view === 'vms') return null;
  return { view, vm, key: key || null };
}

function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export function href(view, vm, key) {
  if (view === 'vms' || vm == null) return '#/vms';
  const path = `#/vm/${encodeURIComponent(vm)}/${view}`;
  return key ? `${path}/${encodeURIComponent(key)}` : path;
}

export function go(view, vm, key) {
  location.hash = href(view, vm, key);
}
