/**
 * What each dataset role may use, for deciding what to show (DESIGN.md's table). The server
 * checks every request on its own; this only keeps controls a role cannot use off its screens.
 */
import type { DatasetRole } from './account.ts';

export function mayEdit(role: DatasetRole | undefined): boolean {
  return role === 'editor' || role === 'moderator' || role === 'owner';
}

export function mayModerate(role: DatasetRole | undefined): boolean {
  return role === 'moderator' || role === 'owner';
}

export function mayManage(role: DatasetRole | undefined): boolean {
  return role === 'owner';
}

/** The hub screens a role opens for one dataset, in the order the navigation shows them. */
export function hubScreensFor(
  role: DatasetRole | undefined,
): ('view' | 'edit' | 'moderate' | 'history' | 'settings')[] {
  return [
    'view',
    ...(mayEdit(role) ? (['edit'] as const) : []),
    ...(mayModerate(role) ? (['moderate'] as const) : []),
    'history',
    ...(mayEdit(role) ? (['settings'] as const) : []),
  ];
}
