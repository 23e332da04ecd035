import type { AccountRow, Tx } from '../core/db/database.ts';
import type { Account } from './account.ts';

export function accountRowToAccount(row: AccountRow): Account {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    locale: row.locale,
    staffTenantId: row.staff_tenant_id,
    staffRole: row.staff_role,
    createdAt: row.created_at,
  };
}

export interface NewAccount {
  email: string;
  passwordHash: string;
  name: string | null;
  locale?: 'de' | 'en';
  staffTenantId?: string | null;
  staffRole?: Account['staffRole'];
}

export const accountRepository = {
  async findById(tx: Tx, id: string): Promise<Account | undefined> {
    const row = await tx.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst();
    return row && accountRowToAccount(row);
  },

  /** Needs the system actor: sign-in happens before anyone is known. */
  async findCredentialsByEmail(
    tx: Tx,
    email: string,
  ): Promise<{ account: Account; passwordHash: string } | undefined> {
    const row = await tx.selectFrom('account').selectAll().where('email', '=', email).executeTakeFirst();
    return row && { account: accountRowToAccount(row), passwordHash: row.password_hash };
  },

  /** Returns undefined when the e-mail is taken (unique constraint), without aborting the transaction. */
  async insert(tx: Tx, account: NewAccount): Promise<Account | undefined> {
    const row = await tx
      .insertInto('account')
      .values({
        email: account.email,
        password_hash: account.passwordHash,
        name: account.name,
        locale: account.locale ?? 'de',
        staff_tenant_id: account.staffTenantId ?? null,
        staff_role: account.staffRole ?? null,
      })
      .onConflict((oc) => oc.column('email').doNothing())
      .returningAll()
      .executeTakeFirst();
    return row && accountRowToAccount(row);
  },
};
