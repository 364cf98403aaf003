// The redaction canvas without a mouse: a cursor box (drawn as an outline while the canvas has
// focus) that the arrow keys move and Shift with the arrow keys resizes; Enter adds it as a black
// box, Delete (or Backspace) removes the last box it overlaps. Everything is in the image's own
// pixels, and arrows mean the image's directions (an image is never mirrored, even in Urdu).

/** A rectangle in the image's pixels. */
export type Box = { x: number; y: number; w: number; h: number };

/** The image's size in pixels. */
export type Size = { w: number; h: number };

/** One key press's step: a fortieth of the image's shorter side, at least one pixel. */
export function stepOf(size: Size): number {
  return Math.max(1, Math.round(Math.min(size.w, size.h) / 40));
}

/** The cursor a keyboard user starts with: a fifth of the image, in its middle. */
export function startCursor(size: Size): Box {
  const w = Math.max(1, Math.round(size.w / 5));
  const h = Math.max(1, Math.round(size.h / 5));
  return { x: Math.round((size.w - w) / 2), y: Math.round((size.h - h) / 2), w, h };
}

/** `b` kept inside the image: at least one pixel wide and high, no larger than the image. */
export function clamp(b: Box, size: Size): Box {
  const w = Math.min(Math.max(1, b.w), size.w);
  const h = Math.min(Math.max(1, b.h), size.h);
  return { x: Math.min(Math.max(0, b.x), size.w - w), y: Math.min(Math.max(0, b.y), size.h - h), w, h };
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** What a key does: the new cursor and boxes, or `null` for a key the canvas leaves alone (Tab,
    Escape, letters), so that it keeps its usual meaning. */
export function keyAction(
  key: string,
  shift: boolean,
  cursor: Box,
  boxes: Box[],
  size: Size,
): { cursor: Box; boxes: Box[] } | null {
  const s = stepOf(size);
  const moves: Record<string, [number, number]> = {
    ArrowLeft: [-s, 0],
    ArrowRight: [s, 0],
    ArrowUp: [0, -s],
    ArrowDown: [0, s],
  };
  const d = moves[key];
  if (d) {
    const next = shift
      ? { ...cursor, w: cursor.w + d[0], h: cursor.h + d[1] }
      : { ...cursor, x: cursor.x + d[0], y: cursor.y + d[1] };
    return { cursor: clamp(next, size), boxes };
  }
  if (key === 'Enter') return { cursor, boxes: [...boxes, clamp(cursor, size)] };
  if (key === 'Delete' || key === 'Backspace') {
    for (let i = boxes.length - 1; i >= 0; i--) {
      if (overlaps(boxes[i], cursor)) return { cursor, boxes: [...boxes.slice(0, i), ...boxes.slice(i + 1)] };
    }
    return { cursor, boxes };
  }
  return null;
}
