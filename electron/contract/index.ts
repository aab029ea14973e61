export * from './errors.js';
export * from './models.js';
export * from './routes.js';
export * from './events.js';
export * from './envelope.js';
export * from './chat.js';
export * from './capture.js';
