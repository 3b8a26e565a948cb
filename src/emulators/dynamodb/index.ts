export { DynamoDbService } from './service.js';
export { DynamoDbError, isDynamoDbError } from './errors.js';
