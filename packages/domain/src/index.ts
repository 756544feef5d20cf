export * from './errors.ts';
export * from './permissions.ts';
export * from './org.ts';
export * from './actor.ts';
export * from './calendar/index.ts';
export * from './clock/index.ts';
