/** toolrl's public API. Everything a user imports comes from here. */
export * from './config';
export * from './rewards';
export * from './data';
export * from './eval';
