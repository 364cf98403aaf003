// Small Svelte actions.

/** Moves focus to the element when it appears (a screen's heading), so keyboard and screen
 * reader users land on the new screen. */
export function focusOnMount(node: HTMLElement) {
  queueMicrotask(() => {
    if (!node.isConnected) return;
    const active = document.activeElement;
    // Leave focus alone if something inside the new screen already took it.
    if (active && active !== document.body && node.closest('main')?.contains(active) && active !== node.closest('main')) return;
    node.focus({ preventScroll: false });
  });
}

/** Scrolls the element into view when it appears (progress or a result below the fold), and
 * with `focus` moves focus to it: after a form's work, the button that was pressed is disabled
 * or gone, and the result is where keyboard and screen reader users should go on from. */
export function revealOnMount(node: HTMLElement, options: { focus?: boolean } = {}) {
  queueMicrotask(() => {
    if (!node.isConnected) return;
    if (options.focus) node.focus({ preventScroll: true });
    node.scrollIntoView({ block: 'nearest' });
  });
}
