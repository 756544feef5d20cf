// Working-day calendar (issue 3). Filled in by the clocks work.
export {};
