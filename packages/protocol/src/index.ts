export * from './close-codes.ts';
export * from './errors.ts';
export * from './rooms.ts';
