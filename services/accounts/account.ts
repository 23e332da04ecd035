import type { StaffRole } from '../core/tenancy.ts';

export interface Account {
  id: string;
  email: string;
  name: string | null;
  locale: 'de' | 'en';
  staffTenantId: string | null;
  staffRole: StaffRole | null;
  createdAt: Date;
}

export interface AuthPayload {
  token: string;
  account: Account;
}
