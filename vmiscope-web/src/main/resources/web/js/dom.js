// Builds DOM without ever parsing HTML: string children become (printable) text nodes, so guest text stays text.
import { printable, printableLines } from './format.js';

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected']);

/**
 * el('a', {href, class, dataset: {key}, style: {width}, onclick}, 'text', child, [more]) — attributes are ours,
 * values and children may be guest data. null/false/undefined attributes and children are skipped.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name === 'style') Object.assign(node.style, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (PROPERTIES.has(name)) node[name] = value;
    else if (name === 'title') node.title = printable(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.append(child);
    else node.append(document.createTextNode(printable(child)));
  }
}

/** Replaces a node's children, with el()'s rules for children (text, nested arrays, skipped null/false). */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A text node for multi-line text (pretty JSON, a log line) that keeps its line breaks. */
export const lines = (text) => document.createTextNode(printableLines(text));

export const byId = (id) => document.getElementById(id);

/** Sets an element's text, printable. */
export function setText(node, text) {
  node.textContent = printable(text);
}
