// A small passphrase strength estimator: an estimate of the bits an attacker must guess, from the
// length and the classes of characters, discounted for repeated and sequential runs, years,
// keyboard rows and common words (also in "leet" spelling), and capped for phrases of a few words
// and for short passphrases. It guides people; the vault's KDF is what protects them.

export type StrengthLevel = 'weak' | 'fair' | 'good' | 'strong';

export type StrengthHint = 'longer' | 'moreWords' | 'commonWord' | 'repeats' | 'sequence' | 'year';

export type Strength = { level: StrengthLevel; bits: number; hints: StrengthHint[] };

export const LEVELS: readonly StrengthLevel[] = ['weak', 'fair', 'good', 'strong'];

/** Whether `level` is at least `min`. */
export function atLeast(level: StrengthLevel, min: StrengthLevel): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(min);
}

// Lower case; compared after undoing leet spelling.
const COMMON = [
  'password', 'passwort', 'pass', 'qwerty', 'qwertz', 'azerty', 'asdf', 'asdfgh', 'zxcv', 'zxcvbn', 'qazwsx',
  'letmein', 'welcome', 'admin', 'administrator', 'iloveyou', 'love', 'lover', 'secret', 'monkey', 'dragon',
  'master', 'sunshine', 'princess', 'football', 'cricket', 'baseball', 'shadow', 'superman', 'batman',
  'trustno', 'hello', 'freedom', 'whatever', 'login', 'test', 'guest', 'user', 'default', 'changeme', 'access',
  'computer', 'internet', 'google', 'facebook', 'whatsapp', 'mobile', 'phone', 'money', 'family', 'friend',
  'pakistan', 'lahore', 'karachi', 'islamabad', 'rawalpindi', 'peshawar', 'quetta', 'multan', 'faisalabad',
  'allah', 'bismillah', 'muhammad', 'mohammad', 'mohammed', 'ali', 'khan', 'ahmed', 'ahmad', 'hussain',
  'fatima', 'ayesha', 'zindabad', 'jinnah', 'iqbal', 'imran', 'gawahi', 'vault', 'human', 'rights', 'justice',
  'azadi', 'lawyer', 'defender', 'pakistani', 'urdu', 'english', 'summer', 'winter', 'spring', 'autumn',
  'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november',
  'december', 'monday', 'sunday', 'friday', 'abc', 'abcd', 'xyz', 'pakistan', 'پاکستان', 'اللہ', 'محمد',
  'پاسورڈ', 'گواہی',
];
const COMMON_SET = new Set(COMMON);
const COMMON_BITS = Math.log2(COMMON_SET.size) + 1;

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890', 'qaz', 'wsx', 'edc'];

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };

function unleet(s: string): string {
  return [...s].map((c) => LEET[c] ?? c).join('');
}

function charsetSize(s: string): number {
  let n = 0;
  if (/[a-z]/.test(s)) n += 26;
  if (/[A-Z]/.test(s)) n += 26;
  if (/[0-9]/.test(s)) n += 10;
  if (/[ ]/.test(s)) n += 1;
  if (/[!-/:-@[-`{-~]/.test(s)) n += 33;
  if (/[^\x00-\x7f]/.test(s)) n += 40;
  return Math.max(n, 10);
}

type Scan = { bits: number; hints: Set<StrengthHint> };

/** Bits of one run of text without separators, pattern by pattern from the start. */
function scan(text: string, perChar: number): Scan {
  const chars = [...text];
  const lower = chars.map((c) => c.toLowerCase());
  const hints = new Set<StrengthHint>();
  let bits = 0;
  let i = 0;
  while (i < chars.length) {
    // A run of one character repeated.
    let r = i + 1;
    while (r < chars.length && lower[r] === lower[i]) r++;
    if (r - i >= 3) {
      bits += perChar + Math.log2(r - i);
      hints.add('repeats');
      i = r;
      continue;
    }
    // An ascending or descending sequence (abc, 4321) or a keyboard row (qwer).
    let s = i + 1;
    const step = chars.length > i + 1 ? lower[i + 1].codePointAt(0)! - lower[i].codePointAt(0)! : 0;
    if (Math.abs(step) === 1) {
      while (s < chars.length && lower[s].codePointAt(0)! - lower[s - 1].codePointAt(0)! === step) s++;
    }
    let k = i;
    for (const row of KEYBOARD_ROWS) {
      for (const dir of [row, [...row].reverse().join('')]) {
        let a = dir.indexOf(lower[i]);
        if (a < 0) continue;
        let e = i;
        while (e < chars.length && dir[a] === lower[e]) {
          e++;
          a++;
        }
        k = Math.max(k, e);
      }
    }
    const seqEnd = Math.max(s, k - i >= 4 ? k : i);
    if (seqEnd - i >= 3) {
      bits += 2 + Math.log2(seqEnd - i);
      hints.add('sequence');
      i = seqEnd;
      continue;
    }
    // A year, 1900–2099.
    const rest = lower.slice(i, i + 4).join('');
    if (/^(19|20)\d\d$/.test(rest)) {
      bits += 7;
      hints.add('year');
      i += 4;
      continue;
    }
    // The longest common word starting here.
    let best = 0;
    for (let e = Math.min(chars.length, i + 16); e >= i + 3; e--) {
      const w = unleet(lower.slice(i, e).join(''));
      if (COMMON_SET.has(w)) {
        best = e;
        break;
      }
    }
    if (best) {
      const word = chars.slice(i, best).join('');
      bits += COMMON_BITS + (word !== word.toLowerCase() ? 1 : 0);
      hints.add('commonWord');
      i = best;
      continue;
    }
    bits += perChar;
    i++;
  }
  return { bits, hints };
}

/** Estimates how strong a passphrase is. */
export function estimateStrength(passphrase: string): Strength {
  const p = passphrase.normalize('NFC');
  const length = [...p].length;
  if (length === 0) return { level: 'weak', bits: 0, hints: ['longer'] };
  const perChar = Math.log2(charsetSize(p));
  const whole = scan(p, perChar);
  let bits = whole.bits;
  const hints = whole.hints;

  // A phrase of words: each word counts at most as much as a word drawn from a large list.
  const words = p.split(/[\s\-_.,;:+/]+/).filter((w) => w.length > 0);
  if (words.length >= 2) {
    const phraseBits = words.reduce((sum, w) => sum + Math.min(scan(w, Math.log2(charsetSize(w))).bits, 13), 0) + words.length;
    bits = Math.min(bits, phraseBits);
  }

  let level: StrengthLevel = bits < 35 ? 'weak' : bits < 50 ? 'fair' : bits < 64 ? 'good' : 'strong';
  // However random, a short passphrase stays within reach of an offline attack on a stolen laptop.
  const cap: StrengthLevel = length < 8 ? 'weak' : length < 12 ? 'fair' : length < 16 ? 'good' : 'strong';
  if (LEVELS.indexOf(cap) < LEVELS.indexOf(level)) level = cap;

  const out: StrengthHint[] = [];
  if (level !== 'strong') {
    if (length < 16) out.push('longer');
    if (words.length < 4) out.push('moreWords');
  }
  for (const h of ['commonWord', 'repeats', 'sequence', 'year'] as const) if (hints.has(h)) out.push(h);
  return { level, bits: Math.round(bits), hints: out };
}
