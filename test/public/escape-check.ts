import { html } from '../../src/public/html.js';

/** What the pages' template makes of a value. */
export function escapeCheck(value: string): string {
  return html`${value}`.value;
}
