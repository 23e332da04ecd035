import type { Actor } from '../../core/tenancy.ts';
import type { Services } from '../services.ts';

export interface GraphQLContext {
  actor: Actor;
  services: Services;
  requestId: string;
}
