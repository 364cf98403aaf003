// Values the window copies (a hash, a fingerprint, a key) go to the clipboard through the app,
// which clears them again after 30 seconds if the clipboard still holds them
// (src-tauri/src/clipboard.rs: the page cannot read the clipboard back to check). This module
// is what the window says meanwhile: copied, then no longer in the clipboard, then nothing.

/** How long a copied value stays in the clipboard; the app's `CLEAR_AFTER`. */
export const CLEAR_AFTER_MS = 30_000;
/** How long "no longer in the clipboard" stays on screen. */
export const CLEARED_SHOWN_MS = 4_000;

/** What the window shows about a copy: `null` once there is nothing left to say. */
export type CopyState = 'copied' | 'cleared' | 'failed' | null;

/**
 * Copies `text` with `copy` and reports what to show as time passes. Returns a function that
 * stops the reports (the component went away, or another copy replaced this one).
 */
export function copyForAWhile(
  text: string,
  copy: (text: string) => Promise<unknown>,
  report: (state: CopyState) => void,
): () => void {
  let stopped = false;
  const timers: ReturnType<typeof setTimeout>[] = [];
  const stop = () => {
    stopped = true;
    for (const t of timers) clearTimeout(t);
  };
  copy(text).then(
    () => {
      if (stopped) return;
      report('copied');
      timers.push(
        setTimeout(() => {
          report('cleared');
          timers.push(setTimeout(() => report(null), CLEARED_SHOWN_MS));
        }, CLEAR_AFTER_MS),
      );
    },
    () => {
      if (!stopped) report('failed');
    },
  );
  return stop;
}

/** The message key for a copy's state (`null`: none). */
export function copyMessage(state: CopyState): string | null {
  switch (state) {
    case 'copied':
      return 'clipboard.copied';
    case 'cleared':
      return 'clipboard.cleared';
    case 'failed':
      return 'clipboard.failed';
    default:
      return null;
  }
}
