import { authenticate } from '@/lib/auth/request-actor';
import { versionHandlers } from './handlers';

/** The handlers the version routes serve, with the request's actor. */
export const handlers = versionHandlers({ authenticate });
