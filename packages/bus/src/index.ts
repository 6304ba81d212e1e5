export * from './message-bus';
export * from './errors';
export * from './kafka-bus';
export * from './kafkajs-request-queue';
export * from './local-bus';
export * from './create-message-bus';
export * from './dead-letter.envelope';
export * from './poison-message.policy';
