import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLEARED_SHOWN_MS, CLEAR_AFTER_MS, copyForAWhile, copyMessage, type CopyState } from '../src/lib/clipboard';
import { en } from '../src/lib/messages/en';
import { ur } from '../src/lib/messages/ur';

describe('copying for a while', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says copied, then after 30 seconds that the value left the clipboard, then nothing', async () => {
    const seen: CopyState[] = [];
    const copied: string[] = [];
    copyForAWhile('36634 23098', async (t) => void copied.push(t), (s) => seen.push(s));
    await vi.advanceTimersByTimeAsync(0);
    expect(copied).toEqual(['36634 23098']);
    expect(seen).toEqual(['copied']);
    await vi.advanceTimersByTimeAsync(CLEAR_AFTER_MS - 1);
    expect(seen).toEqual(['copied']);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['copied', 'cleared']);
    await vi.advanceTimersByTimeAsync(CLEARED_SHOWN_MS);
    expect(seen).toEqual(['copied', 'cleared', null]);
    expect(CLEAR_AFTER_MS).toBe(30_000);
  });

  it('fail: a refused copy says so and promises no clearing', async () => {
    const seen: CopyState[] = [];
    copyForAWhile('x', () => Promise.reject(new Error('no')), (s) => seen.push(s));
    await vi.advanceTimersByTimeAsync(CLEAR_AFTER_MS * 2);
    expect(seen).toEqual(['failed']);
  });

  it('reports nothing once stopped (the screen left, or another copy made)', async () => {
    const seen: CopyState[] = [];
    const stop = copyForAWhile('a', async () => {}, (s) => seen.push(s));
    await vi.advanceTimersByTimeAsync(0);
    stop();
    await vi.advanceTimersByTimeAsync(CLEAR_AFTER_MS * 2);
    expect(seen).toEqual(['copied']);
    const late: CopyState[] = [];
    const stopEarly = copyForAWhile('b', async () => {}, (s) => late.push(s));
    stopEarly();
    await vi.advanceTimersByTimeAsync(CLEAR_AFTER_MS * 2);
    expect(late).toEqual([]);
  });

  it('has a message in English and Urdu for every state', () => {
    for (const s of ['copied', 'cleared', 'failed'] as const) {
      const key = copyMessage(s) as keyof typeof en;
      expect(en[key]).toBeTruthy();
      expect(ur[key as keyof typeof ur]).toBeTruthy();
      expect(ur[key as keyof typeof ur]).not.toBe(en[key]);
    }
    expect(copyMessage(null)).toBeNull();
    expect(en['clipboard.copied']).toContain('30');
  });
});
