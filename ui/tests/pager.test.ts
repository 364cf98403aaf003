import { describe, expect, it } from 'vitest';
import { afterOf, firstPage, hasNext, hasPrev, loaded, next, prev, rowRange } from '../src/lib/pager';

describe('keyset pager', () => {
  it('starts on the first page with no cursor', () => {
    expect(afterOf(firstPage)).toBeNull();
    expect(hasPrev(firstPage)).toBe(false);
    expect(hasNext(firstPage)).toBe(false);
  });

  it('walks forward with nextAfter and back with the remembered cursors', () => {
    let s = loaded(firstPage, 'id-50');
    expect(hasNext(s)).toBe(true);
    s = next(s);
    expect(afterOf(s)).toBe('id-50');
    expect(hasPrev(s)).toBe(true);
    expect(hasNext(s)).toBe(false); // not loaded yet
    s = loaded(s, 'id-100');
    s = next(s);
    expect(afterOf(s)).toBe('id-100');
    s = loaded(s, null);
    expect(hasNext(s)).toBe(false);
    s = prev(s);
    expect(afterOf(s)).toBe('id-50');
    s = loaded(s, 'id-100');
    s = prev(s);
    expect(afterOf(s)).toBeNull();
    expect(hasPrev(s)).toBe(false);
    expect(prev(s)).toBe(s);
  });

  it('forgets the pages ahead when it branches', () => {
    let s = next(loaded(firstPage, 'a'));
    s = next(loaded(s, 'b'));
    s = prev(prev(s));
    s = next(loaded(s, 'a2'));
    expect(s.cursors).toEqual([null, 'a2']);
  });

  it('does not move past the last page', () => {
    const s = loaded(firstPage, null);
    expect(next(s)).toBe(s);
  });

  it('numbers the rows shown', () => {
    expect(rowRange(firstPage, 50, 50)).toEqual({ first: 1, last: 50 });
    const second = next(loaded(firstPage, 'x'));
    expect(rowRange(second, 50, 7)).toEqual({ first: 51, last: 57 });
    expect(rowRange(firstPage, 50, 0)).toEqual({ first: 0, last: 0 });
  });
});
