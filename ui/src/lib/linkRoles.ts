// Which link roles fit which two kinds, and which way a link reads. A link goes from one record
// to another with a role that says what the first is to the second: "a person is the victim in
// an incident", "a threat targets a person". The dialog offers only the roles that fit the two
// records, in the direction they read, so that no sentence comes out backwards ("an incident is
// victim in a person") or absurd ("accused" in a threat).
import type { Kind } from '../bindings/Kind';

export type RoleFit = { from: readonly Kind[]; to: readonly Kind[] };

const ACTOR: readonly Kind[] = ['person', 'organisation'];
const EVENT: readonly Kind[] = ['incident', 'threat'];
const ALL: readonly Kind[] = ['person', 'organisation', 'incident', 'threat', 'risk', 'case', 'hearing', 'referral', 'task'];

/** Each role of the `link_roles` vocabulary: the kinds a link with it may go from and to. */
export const ROLE_FITS: Readonly<Record<string, RoleFit>> = {
  victim: { from: ACTOR, to: [...EVENT, 'case'] },
  witness: { from: ['person'], to: [...EVENT, 'case', 'hearing'] },
  perpetrator: { from: ACTOR, to: EVENT },
  alleged_perpetrator: { from: ACTOR, to: [...EVENT, 'case'] },
  counsel: { from: ACTOR, to: ['case', 'hearing', 'person'] },
  complainant: { from: ACTOR, to: ['case', 'incident'] },
  accused: { from: ACTOR, to: ['case'] },
  petitioner: { from: ACTOR, to: ['case'] },
  respondent: { from: ACTOR, to: ['case'] },
  family_member: { from: ['person'], to: ['person'] },
  source: { from: ACTOR, to: [...EVENT, 'risk', 'case'] },
  evidence_of: { from: EVENT, to: [...EVENT, 'case'] },
  arises_from: { from: ['case', 'threat', 'incident', 'risk', 'referral', 'task'], to: [...EVENT, 'case'] },
  targets: { from: EVENT, to: ACTOR },
  member_of: { from: ACTOR, to: ['organisation'] },
  represents: { from: ACTOR, to: ACTOR },
  referred_for: { from: ['referral'], to: [...ACTOR, ...EVENT, 'case'] },
  related: { from: ALL, to: ALL },
};

/** A role offered for two records, and which way the link goes. */
export type RoleChoice = { role: string; direction: 'thisToOther' | 'otherToThis' };

/**
 * The roles that fit a link between a record of kind `self` and one of kind `other`, each with
 * the direction it reads in (this record first, or the other). A role that fits both ways (two
 * people, one "represents" the other) is offered both ways; "related", which reads the same both
 * ways, once. Roles the table does not
 * know (a user's own) fit any two kinds, this record first.
 */
export function rolesFor(codes: readonly string[], self: Kind, other: Kind): RoleChoice[] {
  const out: RoleChoice[] = [];
  for (const role of codes) {
    const fit = ROLE_FITS[role];
    if (!fit) {
      out.push({ role, direction: 'thisToOther' });
      continue;
    }
    const forth = fit.from.includes(self) && fit.to.includes(other);
    if (forth) out.push({ role, direction: 'thisToOther' });
    // "Related" says the same both ways: offered once.
    if (fit.from.includes(other) && fit.to.includes(self) && !(forth && role === 'related')) {
      out.push({ role, direction: 'otherToThis' });
    }
  }
  return out;
}
