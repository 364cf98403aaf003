// The build draws the first screens into index.html and imports the UI's entry from an inline
// module script (build/firstScreens.ts says why). These tests hold what the copy must keep: it is
// the real component's screen in each language, nothing meant for the live screen can find it,
// the vault path goes in as text, and the page loads the entry exactly once.
import { describe, expect, it } from 'vitest';
import { inertCopy, PICK_SCRIPT, withFirstScreens } from '../build/firstScreens';
import { renderFirstScreen } from '../src/prerender/firstScreens';

const page = (head: string) =>
  `<!doctype html><html><head>${head}</head><body>\n    <div id="app"></div>\n  </body></html>`;
const entry = '<script type="module" crossorigin src="./assets/index-A1.js"></script>';

describe('withFirstScreens', () => {
  it('imports the entry from an inline module script after the templates and the picking script', () => {
    const html = withFirstScreens(page(entry), 'assets/index-A1.js', '<template id="t"></template>');
    expect(html).not.toBeNull();
    expect(html).not.toContain('src="./assets/index-A1.js"');
    expect(html!.match(/index-A1\.js/g)).toHaveLength(1);
    const order = ['<div id="app"></div>', '<template id="t">', PICK_SCRIPT, "import('./assets/index-A1.js');"].map((s) =>
      html!.indexOf(s),
    );
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('fail_refuses_a_page_without_the_entry_script_or_a_single_app_element', () => {
    expect(withFirstScreens(page(''), 'assets/index-A1.js', '')).toBeNull();
    expect(withFirstScreens(page(entry + entry), 'assets/index-A1.js', '')).toBeNull();
    expect(withFirstScreens(page(entry), 'assets/index-A1xjs', '')).toBeNull();
    expect(withFirstScreens(page(entry).replace('<div id="app"></div>', ''), 'assets/index-A1.js', '')).toBeNull();
  });
});

describe('the copy of a first screen', () => {
  it('is the real unlock screen in English and in Urdu', () => {
    const en = renderFirstScreen('unlock', 'en');
    const ur = renderFirstScreen('unlock', 'ur');
    expect(en).toContain('Unlock your vault');
    expect(ur).toContain('اپنا والٹ کھولیں');
    expect(en).toContain('id="unlock-passphrase"');
    expect(renderFirstScreen('first-run', 'en')).not.toContain('id="unlock-passphrase"');
  });

  it('fail_nothing_meant_for_the_live_screen_finds_the_copy', () => {
    for (const screen of ['unlock', 'first-run'] as const) {
      for (const lang of ['en', 'ur'] as const) {
        const copy = inertCopy(renderFirstScreen(screen, lang));
        expect(copy).not.toMatch(/\sid="(?!prerendered-)/);
        expect(copy).not.toMatch(/\s(for|aria-labelledby|aria-describedby|aria-controls)="(?!prerendered-)/);
        expect(copy).not.toMatch(/data-testid|autofocus/);
        expect(copy).not.toMatch(/<script|<\/template/i);
      }
    }
  });

  it('gets the vault path as text, never as markup', () => {
    expect(PICK_SCRIPT).toContain('textContent=s.vaultPath');
    expect(PICK_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(PICK_SCRIPT).toContain('c.inert=true');
  });
});
