/**
 * Records → the JSON GitHub answers, by resource (what `ShapeContext` and the helpers are: base.ts).
 */
export { iso, type ShapeContext } from './base';
export * from './actions';
export * from './apps';
export * from './checks';
export * from './issues';
export * from './repos';
