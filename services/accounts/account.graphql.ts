import { builder } from '../api/graphql/builder.ts';
import { TenantRef } from '../api/graphql/tenant.graphql.ts';
import { EmailTakenError, InvalidCredentialsError, ValidationError } from '../core/errors.ts';
import type { Account, AuthPayload } from './account.ts';

const StaffRole = builder.enumType('StaffRole', { values: ['OPERATOR', 'PLANNER', 'ADMIN'] as const });
const Locale = builder.enumType('Locale', { values: ['DE', 'EN'] as const });

export const AccountRef = builder.objectRef<Account>('Account').implement({
  description: 'A person: a commuter (regional, books in every town) or staff of one town',
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name', { nullable: true }),
    locale: t.field({ type: Locale, resolve: (a) => (a.locale === 'en' ? 'EN' : 'DE') }),
    staffRole: t.field({
      type: StaffRole,
      nullable: true,
      resolve: (a) => (a.staffRole ? (a.staffRole.toUpperCase() as 'OPERATOR' | 'PLANNER' | 'ADMIN') : null),
    }),
    staffTenant: t.field({ type: TenantRef, nullable: true, resolve: (a) => a.staffTenantId }),
  }),
});

const AuthPayloadRef = builder.objectRef<AuthPayload>('AuthPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Send as `Authorization: Bearer <token>`' }),
    account: t.field({ type: AccountRef, resolve: (p) => p.account }),
  }),
});

const RegisterInput = builder.inputType('RegisterInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true, description: 'At least 10 characters' }),
    name: t.string(),
  }),
});

const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({ email: t.string({ required: true }), password: t.string({ required: true }) }),
});

builder.queryField('me', (t) =>
  t.field({
    type: AccountRef,
    nullable: true,
    resolve: (_root, _args, ctx) => ctx.services.accounts.me(ctx.actor),
  }),
);

builder.mutationField('register', (t) =>
  t.field({
    type: AuthPayloadRef,
    args: { input: t.arg({ type: RegisterInput, required: true }) },
    errors: { types: [ValidationError, EmailTakenError], union: { name: 'RegisterResult' } },
    resolve: (_root, { input }, ctx) => ctx.services.accounts.register(input),
  }),
);

builder.mutationField('login', (t) =>
  t.field({
    type: AuthPayloadRef,
    args: { input: t.arg({ type: LoginInput, required: true }) },
    errors: { types: [InvalidCredentialsError], union: { name: 'LoginResult' } },
    resolve: (_root, { input }, ctx) => ctx.services.accounts.login(input),
  }),
);
