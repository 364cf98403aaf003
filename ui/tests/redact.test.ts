import { describe, expect, it } from 'vitest';
import { clamp, keyAction, startCursor, stepOf, type Box } from '../src/lib/redact';

const size = { w: 400, h: 200 };

describe('keyboard redaction', () => {
  it('moves the cursor with the arrows and resizes it with Shift, a step at a time', () => {
    const c = startCursor(size);
    expect(c).toEqual({ x: 160, y: 80, w: 80, h: 40 });
    const s = stepOf(size);
    expect(s).toBe(5);
    expect(keyAction('ArrowRight', false, c, [], size)?.cursor).toEqual({ ...c, x: c.x + s });
    expect(keyAction('ArrowUp', false, c, [], size)?.cursor).toEqual({ ...c, y: c.y - s });
    expect(keyAction('ArrowRight', true, c, [], size)?.cursor).toEqual({ ...c, w: c.w + s });
    expect(keyAction('ArrowUp', true, c, [], size)?.cursor).toEqual({ ...c, h: c.h - s });
  });

  it('never leaves the image nor shrinks below a pixel, however long a key is held', () => {
    let c: Box = startCursor(size);
    for (let i = 0; i < 500; i++) c = keyAction('ArrowLeft', false, c, [], size)!.cursor;
    expect(c.x).toBe(0);
    for (let i = 0; i < 500; i++) c = keyAction('ArrowDown', true, c, [], size)!.cursor;
    expect(c.h).toBe(size.h);
    expect(c.y).toBe(0);
    for (let i = 0; i < 500; i++) c = keyAction('ArrowLeft', true, c, [], size)!.cursor;
    expect(c.w).toBe(1);
    expect(clamp({ x: -5, y: 1e9, w: 1e9, h: -3 }, size)).toEqual({ x: 0, y: 199, w: 400, h: 1 });
    // A one-pixel image still has a one-pixel step and cursor.
    expect(stepOf({ w: 1, h: 1 })).toBe(1);
    expect(startCursor({ w: 1, h: 1 })).toEqual({ x: 0, y: 0, w: 1, h: 1 });
  });

  it('adds the cursor with Enter and removes the last box under it with Delete or Backspace', () => {
    const c = startCursor(size);
    const added = keyAction('Enter', false, c, [], size)!;
    expect(added.boxes).toEqual([c]);
    const elsewhere = { x: 0, y: 0, w: 10, h: 10 };
    const two = keyAction('Enter', false, elsewhere, added.boxes, size)!;
    expect(two.boxes).toEqual([c, elsewhere]);
    // Delete over the first box removes that one, not the last added.
    expect(keyAction('Delete', false, c, two.boxes, size)!.boxes).toEqual([elsewhere]);
    expect(keyAction('Backspace', false, elsewhere, two.boxes, size)!.boxes).toEqual([c]);
    // Over no box, nothing goes.
    expect(keyAction('Delete', false, { x: 300, y: 150, w: 5, h: 5 }, two.boxes, size)!.boxes).toEqual(two.boxes);
  });

  it('leaves every other key alone (Tab moves focus, Escape closes the dialog)', () => {
    for (const key of ['Tab', 'Escape', 'a', ' ', 'Home']) {
      expect(keyAction(key, false, startCursor(size), [], size)).toBeNull();
    }
  });
});
