// Work that can wait until the page is on screen.

/**
 * Runs `f` once the page has loaded and painted its next frame: work that can wait for the
 * first screen. WebKit holds the first paint of a page with little text on it until the load
 * event, and a font, a chunk or a command asked for before that event can hold the event up: the
 * Nastaliq font and the Shell chunk, asked for at the first frame, used to put the unlock screen's
 * first paint 90 ms after it was in the page. Later (the page long loaded) it waits one frame.
 */
export function afterFirstFrame(f: () => void) {
  const painted = () => requestAnimationFrame(() => setTimeout(f, 0));
  if (document.readyState === 'complete') painted();
  else window.addEventListener('load', painted, { once: true });
}
