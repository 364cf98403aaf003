import { describe, expect, it } from 'vitest';
import { ROLE_FITS, rolesFor } from '../src/lib/linkRoles';
import { vocabs } from './vocab-fixture';
import { en } from '../src/lib/messages/en';
import { ur } from '../src/lib/messages/ur';

const codes = (vocabs.get('link_roles') ?? []).map((e) => e.code);

describe('link roles', () => {
  it('cover every shipped role, each with a sentence in both languages', () => {
    expect(codes.length).toBeGreaterThan(10);
    for (const c of codes) {
      expect(ROLE_FITS[c], c).toBeDefined();
      const key = `linkrole.${c}` as keyof typeof en;
      expect(en[key], c).toMatch(/\{from\}.*\{to\}/);
      expect(ur[key], c).toContain('{from}');
      expect(ur[key], c).toContain('{to}');
      // The Urdu sentence says its verb once: no doubled "ہے".
      expect(ur[key], c).not.toMatch(/ہے.*ہے/);
    }
  });

  it('offer no "accused" for a threat, and a victim always reads from the person', () => {
    const forThreat = rolesFor(codes, 'threat', 'person').map((r) => r.role);
    expect(forThreat).not.toContain('accused');
    expect(forThreat).toContain('targets');
    expect(rolesFor(codes, 'incident', 'person')).toContainEqual({ role: 'victim', direction: 'otherToThis' });
    expect(rolesFor(codes, 'person', 'incident')).toContainEqual({ role: 'victim', direction: 'thisToOther' });
    expect(rolesFor(codes, 'person', 'threat')).toContainEqual({ role: 'targets', direction: 'otherToThis' });
    expect(rolesFor(codes, 'person', 'case').map((r) => r.role)).toContain('accused');
  });

  it('offer a role that fits both ways between two people once per way', () => {
    const between = rolesFor(codes, 'person', 'person').filter((r) => r.role === 'represents');
    expect(between).toEqual([
      { role: 'represents', direction: 'thisToOther' },
      { role: 'represents', direction: 'otherToThis' },
    ]);
  });

  it('let a role of the user’s own go between any two kinds', () => {
    expect(rolesFor(['mentor_of'], 'risk', 'task')).toEqual([{ role: 'mentor_of', direction: 'thisToOther' }]);
  });
});
