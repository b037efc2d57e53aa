/**
 * What the hubs' data becomes once a plan is applied: upstream's updates written, new records
 * added. Conflicts and proposed deletions wait for a moderator, so they change nothing here.
 * Invariant: a record or field the plan does not name is returned unchanged.
 */
import type { HubRecord, UpstreamPlan } from './threeWayMerge.ts';

export function applyPlan(
  ours: readonly HubRecord[],
  plan: UpstreamPlan,
  newId: (index: number) => string,
): HubRecord[] {
  const updates = new Map<string, Record<string, (typeof plan.updates)[number]['upstream']>>();
  for (const update of plan.updates) {
    const fields = updates.get(update.rowId) ?? {};
    fields[update.field] = update.upstream;
    updates.set(update.rowId, fields);
  }
  const out = ours.map((record) => {
    const fields = updates.get(record.id);
    return fields ? { ...record, values: { ...record.values, ...fields } } : record;
  });
  plan.additions.forEach((addition, i) => {
    out.push({ id: newId(i), values: { ...addition.values } });
  });
  return out;
}
