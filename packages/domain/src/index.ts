export * from './errors.ts';
export * from './permissions.ts';
export * from './org.ts';
export * from './actor.ts';
export * from './canonical-json.ts';
export * from './calendar/index.ts';
export * from './clock/index.ts';
