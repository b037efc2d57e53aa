// Entry point for Node (server, imports, proposal intake): everything in index.ts plus the custom
// checks that need a heavy library (opening hours). Browser code imports `@datapatch/schema`.
export * from './index.ts';
export {
  isOpeningHours,
  nearestOpeningHours,
  openingHoursValue,
  serverCustomChecks,
} from './openingHoursCheck.ts';
