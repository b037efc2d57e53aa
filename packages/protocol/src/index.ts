export * from './rooms.ts';
export * from './errors.ts';
export * from './close-codes.ts';
