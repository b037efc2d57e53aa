import type { FieldProvenance } from '@datapatch/core';
import { describe, expect, it } from 'vitest';
import { sourceLine } from './source-line.ts';

const at = '2026-03-03T10:00:00.000Z';
const moderator = { id: 'm', name: 'Camille', hub: 'Hub Bourgogne' };

describe('sourceLine', () => {
  it('names the hub that accepted a proposal, never the person', () => {
    const prov: FieldProvenance = { kind: 'proposal', by: moderator, at, proposalId: 'p', changeId: 'c' };
    expect(sourceLine(prov, 'fr')).toBe('source : proposition validée le 3 mars 2026 par Hub Bourgogne');
    expect(sourceLine(prov, 'en')).toBe('source: proposal accepted on March 3, 2026 by Hub Bourgogne');
  });

  it('says an import, a release of the official source, an automatic acceptance, and a role without hub', () => {
    const by = { id: 'x', name: 'Awa' };
    expect(sourceLine({ kind: 'import', by, at, changeId: 'c' }, 'fr')).toBe(
      'source : import du 3 mars 2026',
    );
    expect(sourceLine({ kind: 'upstream', by, at, changeId: 'c' }, 'fr')).toContain('source officielle');
    expect(sourceLine({ kind: 'proposal', by, at, auto: true, changeId: 'c' }, 'fr')).toBe(
      'source : proposition du 3 mars 2026, acceptée automatiquement',
    );
    expect(sourceLine({ kind: 'edit', by, at, changeId: 'c' }, 'fr')).toBe(
      'source : modifiée le 3 mars 2026 par l’équipe de modération',
    );
  });
});
