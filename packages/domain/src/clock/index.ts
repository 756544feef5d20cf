// Statutory clocks (issue 3): day arithmetic, clock evaluation, explanations, time-limit rules.
export * from './day-arithmetic.ts';
export * from './clock-types.ts';
export { evaluateClock } from './evaluate-clock.ts';
export * from './explain-clock.ts';
export * from './time-limit-rules.ts';
export { warningInstantMs } from './warning.ts';
