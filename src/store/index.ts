export * from './dynamo';
export * from './keys';
export * from './schema';
export * from './deliveries';
export * from './dispatches';
export * from './jobs';
export * from './repos';
