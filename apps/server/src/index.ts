export { parseConfig, formatConfigProblems, type Config } from './platform/config.ts';
export { createLogger } from './platform/logger.ts';
export { startServer, createContext, closeContext, type Running } from './main.ts';
export { buildApp } from './http/app.ts';
export { openDatabase, inTransaction } from './platform/db.ts';
export { migrate } from './platform/migrate.ts';
export { seedDemo, DEMO_PASSWORD } from './seed/demo.ts';
