export { SnsService, SnsError, type PublishInput, type MessageAttribute } from './service.js';
