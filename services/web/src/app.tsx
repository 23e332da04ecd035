import { PageTitle } from './components/ui.tsx';
import { I18nProvider, LANGS, useI18n } from './i18n/i18n.tsx';
import { AccountPage } from './pages/account.tsx';
import { SignInPage, SignUpPage } from './pages/auth.tsx';
import { BookingPage } from './pages/booking.tsx';
import { FindPage } from './pages/find.tsx';
import { OperatorPage } from './pages/operator.tsx';
import { SitePage } from './pages/site.tsx';
import { StationPage } from './pages/station.tsx';
import { StationsPage } from './pages/stations.tsx';
import { VehicleReservationPage } from './pages/vehicle-reservation.tsx';
import { Link, navigate, parseRoute, paths, useLocation } from './router.tsx';
import { SessionProvider, useSession } from './session.tsx';

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </I18nProvider>
  );
}

function Shell() {
  const { t } = useI18n();
  const { pathname, search } = useLocation();
  const route = parseRoute(pathname);
  return (
    <>
      <a class="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <Header current={route.name} />
      {/* key: a new page mounts fresh (state, focus) on every navigation */}
      <main id="main" tabIndex={-1} key={pathname + search.toString()}>
        {route.name === 'find' && <FindPage search={search} />}
        {route.name === 'site' && <SitePage id={route.id} search={search} />}
        {route.name === 'booking' && <BookingPage id={route.id} />}
        {route.name === 'account' && <AccountPage />}
        {route.name === 'signIn' && <SignInPage search={search} />}
        {route.name === 'signUp' && <SignUpPage search={search} />}
        {route.name === 'operator' && <OperatorPage />}
        {route.name === 'stations' && <StationsPage search={search} />}
        {route.name === 'station' && <StationPage id={route.id} search={search} />}
        {route.name === 'vehicleReservation' && <VehicleReservationPage id={route.id} />}
        {route.name === 'notFound' && <PageTitle text={t.errors.notFound} />}
      </main>
    </>
  );
}

function Header({ current }: { current: string }) {
  const { t, lang, setLang } = useI18n();
  const { account, signOut } = useSession();
  const item = (name: string, href: string, text: string) => (
    <li>
      <Link href={href} aria-current={current === name ? 'page' : undefined}>
        {text}
      </Link>
    </li>
  );
  return (
    <header class="site-header">
      <div class="brand-row">
        <Link href={paths.find()} class="brand">
          {t.appName}
        </Link>
        <fieldset class="lang-switch">
          <legend class="visually-hidden">{t.language.label}</legend>
          {LANGS.map((l) => (
            <button
              key={l}
              type="button"
              lang={l}
              aria-pressed={lang === l}
              onClick={() => setLang(l)}
              class={lang === l ? 'active' : undefined}
            >
              {t.language[l]}
            </button>
          ))}
        </fieldset>
      </div>
      <nav aria-label={t.nav.label}>
        <ul>
          {item('find', paths.find(), t.nav.find)}
          {item('stations', paths.stations(), t.nav.stations)}
          {account && item('account', paths.account(), t.nav.account)}
          {account?.staffRole && item('operator', paths.operator(), t.nav.operator)}
          {account === null && item('signIn', paths.signIn(), t.nav.signIn)}
          {account === null && item('signUp', paths.signUp(), t.nav.signUp)}
          {account && (
            <li>
              <button
                type="button"
                class="link-button"
                onClick={() => {
                  signOut();
                  navigate(paths.find());
                }}
              >
                {t.nav.signOut}
              </button>
            </li>
          )}
        </ul>
      </nav>
    </header>
  );
}
