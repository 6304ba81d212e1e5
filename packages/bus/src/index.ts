export * from './message-bus';
export * from './errors';
export * from './kafka-bus';
export * from './local-bus';
export * from './create-message-bus';
