import { describe, expect, it } from 'vitest';
import { hubScreensFor, mayModerate } from './role-rights.ts';

describe('what each role is shown', () => {
  it('an editor gets no moderation screen; a moderator and an owner do', () => {
    expect(hubScreensFor('editor')).toEqual(['view', 'edit', 'history', 'settings']);
    expect(hubScreensFor('moderator')).toContain('moderate');
    expect(hubScreensFor('owner')).toContain('moderate');
    expect(mayModerate('editor')).toBe(false);
  });
  it('a reader or someone with no role sees the data and its history only', () => {
    expect(hubScreensFor('reader')).toEqual(['view', 'history']);
    expect(hubScreensFor(undefined)).toEqual(['view', 'history']);
  });
});
