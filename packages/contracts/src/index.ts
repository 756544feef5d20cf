export type * from './auth.ts';
export type * from './org.ts';
export type * from './errors.ts';
export * from './workflow.ts';
export * from './cases.ts';
