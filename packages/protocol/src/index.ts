export * from './changes.ts';
export * from './close-codes.ts';
export * from './dataset-about.ts';
export * from './duplicates-body.ts';
export * from './errors.ts';
export * from './proposal-body.ts';
export * from './rooms.ts';
export * from './upstream.ts';
