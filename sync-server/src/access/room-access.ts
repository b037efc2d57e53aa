/**
 * The question the relay asks at websocket upgrade: what may this person (or nobody) do in
 * this room? Unknown rooms and datasets without settings get 'none', so a typo or a dataset
 * created outside access control is never open by accident.
 */
import { parseRoomName } from '@datapatch/protocol';
import type { Database } from 'better-sqlite3';
import { datasetSettings } from './datasets.ts';
import { type Access, accessTo, effectiveRole } from './permissions.ts';

export function accessToRoom(db: Database, userId: string | null, room: string): Access {
  const parsed = parseRoomName(room);
  if (!parsed) return 'none';
  const settings = datasetSettings(db, parsed.datasetId);
  if (!settings) return 'none';
  return accessTo(effectiveRole(db, userId, parsed.datasetId), parsed.kind, settings);
}
