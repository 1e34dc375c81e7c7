/**
 * Python compatibility: the values, JSON, equality and string helpers that let the reward
 * (lib/rewards) and the BFCL checker (lib/eval) score exactly as the reference Python code does.
 */
export * from './value';
export * from './json';
export * from './equal';
export * from './str';
