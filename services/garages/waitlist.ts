import type { SpaceType } from './space.ts';

export interface WaitlistEntry {
  id: string;
  tenantId: string;
  siteId: string;
  accountId: string;
  spaceType: SpaceType;
  from: Date;
  to: Date;
  status: 'waiting' | 'notified' | 'left';
  notifiedAt: Date | null;
  createdAt: Date;
}

export interface JoinWaitlistInput {
  siteId: string;
  spaceType: SpaceType;
  from: Date;
  to: Date;
}
