export * from './errors';
export * from './event.types';
export * from './config';
export * from './logger';
export * from './tokens';
export * from './topics';
export * from './control-store';
