/** The view models, one file per page; imported from here so callers need not know which file holds which. */
export * from './home';
export * from './repo';
export * from './run';
export * from './runners';
export * from './runs';
export * from './series';
export * from './shared';
