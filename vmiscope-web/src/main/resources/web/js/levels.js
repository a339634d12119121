// Alert levels (Sigma's), least serious first, and how a level is drawn: colour from the class, always with its name.
import { el } from './dom.js';

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];

/** The colours of app.css's .level-* classes, for charts (canvas). */
export const LEVEL_COLOURS = { informational: '#6b7785', low: '#2b7bb9', medium: '#c98a00', high: '#d4561c', critical: '#b0182a' };

/** A known level's name, or 'informational' for anything else (a level is data: only known ones become classes). */
export const knownLevel = (level) => (LEVELS.includes(level) ? level : 'informational');

/** A coloured badge that says its level (colour is never the only sign). */
export function levelBadge(level, text) {
  return el('span', { class: `level level-${knownLevel(level)}` }, text ?? knownLevel(level));
}
