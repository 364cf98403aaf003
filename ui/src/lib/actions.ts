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
