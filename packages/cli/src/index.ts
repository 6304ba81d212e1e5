export { main } from './main';
export { ensureDemoCredentials, readLocalCredentials, recordEndpoints } from './local-credentials';
export type { LocalCredentials } from './local-credentials';
