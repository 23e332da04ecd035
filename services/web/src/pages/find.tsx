import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { AVAILABILITY_NEAR, type SiteAvailability } from '../api/operations.ts';
import { loadWebConfig, type WebConfig } from '../api/web-config.ts';
import { LeafletMap } from '../components/leaflet-map.tsx';
import {
  PeriodFields,
  type PeriodValue,
  periodFromSearch,
  periodInstants,
  periodToSearch,
} from '../components/period-fields.tsx';
import { type PlotPoint, SitePlot } from '../components/site-plot.tsx';
import { NearMeNotes, TownSelect, useHere } from '../components/town-filter.tsx';
import { LoadState, PageTitle, useLoad } from '../components/ui.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Link, paths } from '../router.tsx';
import { defaultPeriod } from '../time.ts';

/** The middle of the five towns; with the API's maximum radius it covers all of them. */
export const REGION_CENTER = { lat: 51.25, lon: 8.05 };
/** The API's largest search radius (services/garages/availability.service.ts MAX_RADIUS_KM). */
export const SEARCH_RADIUS_KM = 50;
/** Free counts on this page refresh this often; the site page itself updates live. */
const REFRESH_MS = 60_000;

interface Filters extends PeriodValue {
  tenant: string;
}

export function FindPage({ search }: { search: URLSearchParams }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [editing, setEditing] = useState<Filters>(() => ({
    ...periodFromSearch(search, defaultPeriod()),
    tenant: search.get('tenant') ?? '',
  }));
  const [applied, setApplied] = useState(editing);
  const { here, denied, locate } = useHere();
  const [config, setConfig] = useState<WebConfig | null>(null);

  useEffect(() => void loadWebConfig().then(setConfig), []);

  const results = useLoad(async () => {
    const period = periodInstants(applied);
    if (!period) return [];
    const { availabilityNear } = await gql<{ availabilityNear: SiteAvailability[] }>(AVAILABILITY_NEAR, {
      near: here ?? REGION_CENTER,
      radiusKm: SEARCH_RADIUS_KM,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      spaceType: applied.spaceType || null,
    });
    return availabilityNear.filter((a) => !applied.tenant || a.site.tenant.id === applied.tenant);
  }, [applied, here]);

  useEffect(() => {
    const id = setInterval(results.reload, REFRESH_MS);
    return () => clearInterval(id);
  }, [results.reload]);

  const onSubmit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!periodInstants(editing)) return;
    setApplied(editing);
    // A shareable address for this search, without re-mounting the page.
    const query = periodToSearch(editing);
    if (editing.tenant) query.set('tenant', editing.tenant);
    history.replaceState(null, '', `/?${query}`);
  };

  const sites = results.data ?? [];
  const points: PlotPoint[] = sites.map((a, index) => ({
    id: a.site.id,
    number: index + 1,
    lat: a.site.position.lat,
    lon: a.site.position.lon,
    free: a.freeCount > 0,
    name: a.site.name,
  }));
  const siteQuery = periodToSearch(applied);

  return (
    <>
      <PageTitle text={t.find.title} />
      <p>{t.find.intro}</p>
      <form class="filters card" onSubmit={onSubmit} aria-label={t.find.filters}>
        <PeriodFields idPrefix="find" value={editing} onChange={(v) => setEditing({ ...editing, ...v })} />
        <TownSelect
          id="find-area"
          label={t.find.area}
          allLabel={t.find.wholeRegion}
          value={editing.tenant}
          onChange={(tenant) => setEditing({ ...editing, tenant })}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {t.find.search}
          </button>
          <button type="button" onClick={locate}>
            {t.find.nearMe}
          </button>
        </div>
      </form>
      <NearMeNotes here={here} denied={denied} active={t.find.nearMeActive} refused={t.find.locationDenied} />

      <LoadState loaded={results} />
      {results.data && (
        <div class="results">
          <div class="results-map">
            {config?.mapTileUrl ? (
              <LeafletMap points={points} tileUrl={config.mapTileUrl} attribution={config.mapAttribution} />
            ) : (
              <SitePlot points={points} here={here} />
            )}
          </div>
          <section class="results-list" aria-labelledby="results-heading">
            <h2 id="results-heading">
              {t.find.list} <span class="count">({t.find.results(sites.length)})</span>
            </h2>
            {sites.length === 0 && <p>{t.find.noResults}</p>}
            <ol class="site-list">
              {sites.map((a, index) => (
                <li key={a.site.id} class="card site-card">
                  <span class="marker" aria-hidden="true">
                    {index + 1}
                  </span>
                  <div>
                    <h3>{a.site.name}</h3>
                    <p class="muted">
                      {[a.site.address.street, a.site.address.city].filter(Boolean).join(', ')}
                      {a.distanceKm !== null && here && (
                        <> · {t.find.distance(i18n.number(a.distanceKm, 1))}</>
                      )}
                    </p>
                    <p class={a.freeCount > 0 ? 'free' : 'full'}>
                      <strong>{a.freeCount > 0 ? t.find.free(a.freeCount) : t.find.full}</strong>
                    </p>
                    <Link
                      href={paths.site(a.site.id, siteQuery)}
                      class="button"
                      aria-label={t.find.bookAt(a.site.name)}
                    >
                      {t.find.book}
                    </Link>
                  </div>
                </li>
              ))}
            </ol>
          </section>
        </div>
      )}
    </>
  );
}
