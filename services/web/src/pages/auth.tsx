import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { type AuthResult, LOGIN, REGISTER } from '../api/operations.ts';
import { LabelledInput } from '../components/labelled-input.tsx';
import { errorText, Notice, PageTitle } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, navigate, paths, safeNext } from '../router.tsx';
import { useSession } from '../session.tsx';

type Mode = 'signIn' | 'signUp';

export function SignInPage({ search }: { search: URLSearchParams }) {
  return <AuthForm mode="signIn" search={search} />;
}

export function SignUpPage({ search }: { search: URLSearchParams }) {
  return <AuthForm mode="signUp" search={search} />;
}

/** Sign-in and sign-up share one form; sign-up adds a name and the password rule. */
function AuthForm({ mode, search }: { mode: Mode; search: URLSearchParams }) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const next = safeNext(search.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; field?: string | null } | null>(null);

  const onSubmit = async (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result =
        mode === 'signIn'
          ? (await gql<{ login: AuthResult }>(LOGIN, { input: { email, password } })).login
          : (
              await gql<{ register: AuthResult }>(REGISTER, {
                input: { email, password, name: name.trim() || null },
              })
            ).register;
      if (result.__typename === 'AuthPayload' && 'token' in result) {
        session.signIn(result.token, result.account);
        navigate(next, { replace: true });
        return;
      }
      setError({ text: errorText(i18n, result), field: 'field' in result ? result.field : null });
    } catch (err) {
      setError({ text: errorText(i18n, err) });
    } finally {
      setBusy(false);
    }
  };

  const title = mode === 'signIn' ? t.auth.signInTitle : t.auth.signUpTitle;
  const errorFor = (field: string) => (error?.field === field ? 'form-error' : undefined);
  return (
    <section class="narrow">
      <PageTitle text={title} />
      {session.expired && mode === 'signIn' && <Notice kind="info">{t.auth.expired}</Notice>}
      {mode === 'signUp' && <p>{t.auth.signUpIntro}</p>}
      <form onSubmit={onSubmit} class="stack">
        {mode === 'signUp' && (
          <LabelledInput
            id="auth-name"
            label={t.auth.name}
            name="name"
            autocomplete="name"
            value={name}
            onInput={setName}
          />
        )}
        <LabelledInput
          id="auth-email"
          label={t.auth.email}
          name="email"
          type="email"
          autocomplete={mode === 'signIn' ? 'username' : 'email'}
          required
          value={email}
          invalid={error?.field === 'email'}
          describedBy={errorFor('email')}
          onInput={setEmail}
        />
        <LabelledInput
          id="auth-password"
          label={t.auth.password}
          name="password"
          type="password"
          autocomplete={mode === 'signIn' ? 'current-password' : 'new-password'}
          required
          minLength={mode === 'signUp' ? 10 : undefined}
          value={password}
          invalid={error?.field === 'password'}
          describedBy={
            [mode === 'signUp' ? 'password-hint' : '', errorFor('password') ?? ''].join(' ').trim() ||
            undefined
          }
          onInput={setPassword}
        >
          {mode === 'signUp' && (
            <p id="password-hint" class="hint">
              {t.auth.passwordHint}
            </p>
          )}
        </LabelledInput>
        {error && (
          <Notice kind="error" id="form-error">
            {error.text}
          </Notice>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.auth.working : mode === 'signIn' ? t.auth.submitSignIn : t.auth.submitSignUp}
        </button>
      </form>
      <p>
        {mode === 'signIn' ? t.auth.noAccount : t.auth.haveAccount}{' '}
        <Link href={mode === 'signIn' ? paths.signUp(next) : paths.signIn(next)}>
          {mode === 'signIn' ? t.nav.signUp : t.nav.signIn}
        </Link>
      </p>
    </section>
  );
}
