import { z } from 'zod';
import { hashSecret, verifySecret } from '../core/auth/password.ts';
import type { AccessTokens } from '../core/auth/tokens.ts';
import type { Db } from '../core/db/database.ts';
import { EmailTakenError, InvalidCredentialsError, ValidationError } from '../core/errors.ts';
import { type Actor, type StaffRole, systemActor, withActor } from '../core/tenancy.ts';
import { accountRepository } from './account.repository.ts';
import type { Account, AuthPayload } from './account.ts';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Not a valid e-mail address' }));
const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Password needs at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Password may have at most ${PASSWORD_MAX_LENGTH} characters`);
const nameSchema = z.string().trim().max(200).optional().nullable();

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(result.error.issues[0]?.message ?? 'Invalid value', field);
  return result.data;
}

// A fixed hash to compare against when the e-mail is unknown, so that a wrong e-mail
// takes as long as a wrong password and sign-in does not reveal who has an account.
const dummyHash = hashSecret('not-a-real-password-just-for-timing');

export function actorForAccount(account: Account): Actor {
  if (account.staffRole && account.staffTenantId) {
    return { role: account.staffRole, accountId: account.id, tenantId: account.staffTenantId };
  }
  return { role: 'commuter', accountId: account.id, tenantId: null };
}

export class AccountService {
  constructor(
    private readonly db: Db,
    private readonly tokens: AccessTokens,
  ) {}

  async register(input: { email: string; password: string; name?: string | null }): Promise<AuthPayload> {
    const email = parseOrThrow(emailSchema, input.email, 'email');
    const password = parseOrThrow(passwordSchema, input.password, 'password');
    const name = parseOrThrow(nameSchema, input.name, 'name') || null;
    const passwordHash = await hashSecret(password);
    const account = await withActor(this.db, systemActor, (tx) =>
      accountRepository.insert(tx, { email, passwordHash, name }),
    );
    if (!account) throw new EmailTakenError();
    return { token: await this.tokens.issue(actorForAccount(account)), account };
  }

  async login(input: { email: string; password: string }): Promise<AuthPayload> {
    const email = emailSchema.safeParse(input.email);
    const found = email.success
      ? await withActor(this.db, systemActor, (tx) =>
          accountRepository.findCredentialsByEmail(tx, email.data),
        )
      : undefined;
    const ok = await verifySecret(
      input.password.slice(0, PASSWORD_MAX_LENGTH),
      found?.passwordHash ?? (await dummyHash),
    );
    if (!found || !ok) throw new InvalidCredentialsError();
    return { token: await this.tokens.issue(actorForAccount(found.account)), account: found.account };
  }

  async me(actor: Actor): Promise<Account | null> {
    if (!actor.accountId) return null;
    return (
      (await withActor(this.db, actor, (tx) => accountRepository.findById(tx, actor.accountId!))) ?? null
    );
  }

  /** For seeding and administration (not exposed to the public API). */
  async createStaff(input: {
    email: string;
    password: string;
    name: string;
    tenantId: string;
    role: StaffRole;
  }): Promise<Account> {
    const passwordHash = await hashSecret(parseOrThrow(passwordSchema, input.password, 'password'));
    const account = await withActor(this.db, systemActor, (tx) =>
      accountRepository.insert(tx, {
        email: parseOrThrow(emailSchema, input.email, 'email'),
        passwordHash,
        name: input.name,
        staffTenantId: input.tenantId,
        staffRole: input.role,
      }),
    );
    if (!account) throw new EmailTakenError();
    return account;
  }
}
