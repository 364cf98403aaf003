import { describe, expect, it } from 'vitest';
import { placeError } from '../src/lib/fieldErrors';
import { knownFieldNames } from '../src/lib/schema';

const caseFields = knownFieldNames('case');
const incidentFields = knownFieldNames('incident');

describe('field error placement', () => {
  it('puts a charge’s error on its row', () => {
    expect(placeError('charges[0].section', caseFields)).toEqual({ key: 'charges[0].section', controlId: 'charge-0' });
    expect(placeError('charges[2].statute', caseFields)).toEqual({ key: 'charges[2].statute', controlId: 'charge-2' });
    expect(placeError('charges', caseFields)).toEqual({ key: 'charges', controlId: 'field-charges' });
  });

  it('puts a field’s error under its control', () => {
    expect(placeError('title', incidentFields)).toEqual({ key: 'title', controlId: 'field-title' });
    expect(placeError('occurred_precision', incidentFields)).toEqual({ key: 'occurred_precision', controlId: 'field-occurred_precision' });
    expect(placeError('disappearance.last_seen_on', caseFields)).toEqual({
      key: 'disappearance.last_seen_on',
      controlId: 'field-disappearance.last_seen_on',
    });
  });

  it('puts an item of a list under the list', () => {
    expect(placeError('incident_types[1]', incidentFields)).toEqual({ key: 'incident_types', controlId: 'field-incident_types' });
  });

  it('puts a nested field the form lacks under its block', () => {
    expect(placeError('disappearance.nonsense', caseFields)).toEqual({ key: 'disappearance', controlId: 'field-disappearance' });
  });

  it('leaves unknown fields to the form', () => {
    expect(placeError('nonsense', incidentFields)).toBeNull();
    expect(placeError('charges[0].section', incidentFields)).toBeNull();
    expect(placeError(null, incidentFields)).toBeNull();
    expect(placeError('', incidentFields)).toBeNull();
  });
});
