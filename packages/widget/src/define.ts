/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The widget runs in browsers only: these bring the DOM types into any program that compiles it
// (its own build sets them too; the repository's test type-check includes every package's src).

/**
 * Registers a custom element unless the name is taken, so the npm build and the script-tag bundle
 * (or two copies of either) can meet on one page without a `NotSupportedError`.
 */
export function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
