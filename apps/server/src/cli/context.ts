import type { AppContext } from '../http/context.ts';

/** Runs work against the configured database (no job workers), closing it afterwards. */
export type WithContext = <T>(work: (ctx: AppContext) => Promise<T>) => Promise<T>;
