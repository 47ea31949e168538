// What tests and tools may import from the gateway.
export { startGateway } from './main.js';
export { gatewayEnv } from './config.js';
export { buildGateway } from './app.js';
export { openApiDocument } from './openapi-document.js';
