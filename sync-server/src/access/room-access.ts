/**
 * The question the relay asks at websocket upgrade: what may this person (or nobody) do in
 * this room? Unknown rooms and datasets without settings get 'none', so a typo or a dataset
 * created outside access control is never open by accident.
 */
import { parseRoomName } from '@datapatch/protocol';
import type { AccessQueries } from '../store/access-store.ts';
import { datasetSettings } from './datasets.ts';
import { type Access, accessTo, effectiveRole } from './permissions.ts';

export async function accessToRoom(
  store: AccessQueries,
  userId: string | null,
  room: string,
): Promise<Access> {
  const parsed = parseRoomName(room);
  if (!parsed) return 'none';
  const settings = await datasetSettings(store, parsed.datasetId);
  if (!settings) return 'none';
  return accessTo(await effectiveRole(store, userId, parsed.datasetId), parsed.kind, settings);
}
