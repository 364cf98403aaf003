import { describe, expect, it } from 'vitest';
import { atLeast, estimateStrength } from '../src/lib/strength';

describe('passphrase strength', () => {
  it('rates common passwords weak', () => {
    for (const p of ['password1', 'Password123', 'qwerty123', 'Pakistan2024!', 'P@ssw0rd', 'aaaaaaaaaaaaaaaa', 'abcdefgh12345678', 'letmein']) {
      expect(estimateStrength(p).level, p).toBe('weak');
    }
  });

  it('rates an empty passphrase weak', () => {
    expect(estimateStrength('').level).toBe('weak');
  });

  it('rates a phrase of five unrelated words strong', () => {
    expect(estimateStrength('maple river canvas lantern orbit').level).toBe('strong');
    expect(estimateStrength('copper-violin-harbour-thistle-engine').level).toBe('strong');
  });

  it('grows with the number of words', () => {
    const levels = ['maple river', 'maple river canvas', 'maple river canvas lantern', 'maple river canvas lantern orbit'].map(
      (p) => estimateStrength(p).level,
    );
    expect(levels).toEqual(['weak', 'fair', 'good', 'strong']);
  });

  it('caps short passphrases however random', () => {
    expect(estimateStrength('xK9#mQ2$').level).toBe('fair');
    expect(atLeast(estimateStrength('xK9#mQ2$vL7@').level, 'good')).toBe(true);
    expect(estimateStrength('xK9#mQ2$vL7@').level).not.toBe('strong');
  });

  it('rates an Urdu phrase by its words', () => {
    expect(estimateStrength('سرخ دریا پرانی کتاب چاندنی رات').level).toBe('strong');
  });

  it('explains what is wrong', () => {
    const s = estimateStrength('password1');
    expect(s.hints).toContain('commonWord');
    expect(s.hints).toContain('longer');
    expect(estimateStrength('abcd1234efgh').hints).toContain('sequence');
    expect(estimateStrength('maple river canvas lantern orbit').hints).toEqual([]);
  });

  it('orders levels', () => {
    expect(atLeast('fair', 'fair')).toBe(true);
    expect(atLeast('weak', 'fair')).toBe(false);
    expect(atLeast('strong', 'good')).toBe(true);
  });
});
