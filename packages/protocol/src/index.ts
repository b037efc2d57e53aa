export * from './rooms.ts';
export * from './errors.ts';
