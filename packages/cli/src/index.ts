export * from './main';
export * from './caracal-app';
export * from './local-credentials';
export * from './runtime.module';
