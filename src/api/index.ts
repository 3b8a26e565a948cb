export { startLocalApi, type LocalApi, type LocalApiOptions, type LocalApiServices } from './local-api.js';
