import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import {
  ADMIN_SITE_SPACES,
  type AdminSite,
  type Connection,
  RETIRE_SITE,
  RETIRE_SPACE,
  STAFF_SITES,
  type StaffSite,
  type StaffSpace,
} from '../api/operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { DoneNotice, EditButton, RetireStep, sendAdmin } from './admin-form.tsx';
import { SiteForm } from './site-form.tsx';
import { SpaceForm } from './space-form.tsx';
import { LoadState, TableScroll, useLoad } from './ui.tsx';

type Panel =
  | { kind: 'newSite' }
  | { kind: 'editSite' }
  | { kind: 'newSpace' }
  | { kind: 'editSpace'; space: StaffSpace };

/**
 * The town's sites with their spaces; operators and admins also create, edit and retire them
 * (planners look only: the API refuses them, so they are not offered the forms).
 */
export function SitesSection({ canManage }: { canManage: boolean }) {
  const { t } = useI18n();
  const a = t.garageAdmin;
  const sites = useLoad(() => gql<{ sites: Connection<StaffSite> }>(STAFF_SITES), []);
  const list = sites.data?.sites.edges.map((e) => e.node) ?? [];
  const [chosen, setChosen] = useState<string>('');
  const [panel, setPanel] = useState<Panel | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const listed = list.find((s) => s.id === chosen) ?? list[0];
  const details = useLoad(async () => {
    if (!listed) return null;
    const data = await gql<{ site: (AdminSite & { spaces: Connection<StaffSpace> }) | null }>(
      ADMIN_SITE_SPACES,
      { id: listed.id },
    );
    return data.site;
  }, [listed?.id]);
  // Details of the previously chosen site are not shown while the chosen one's load.
  const site = details.data?.id === listed?.id ? (details.data ?? undefined) : undefined;
  const spaces = site?.spaces.edges.map((e) => e.node);
  const open = (next: Panel) => {
    setDone(null);
    setPanel(next);
  };
  const finish = (text: string, what: 'sites' | 'spaces') => {
    setPanel(null);
    setDone(text);
    if (what === 'sites') sites.reload();
    details.reload();
  };
  const manageSite = canManage && site && !site.retired;

  return (
    <section class="card" aria-labelledby="sites-heading">
      <h2 id="sites-heading">{t.operator.sites}</h2>
      <LoadState loaded={sites} />
      {done && <DoneNotice text={done} />}
      {canManage && panel?.kind !== 'newSite' && (
        <button type="button" class="admin-open" onClick={() => open({ kind: 'newSite' })}>
          {a.newSite}
        </button>
      )}
      {panel?.kind === 'newSite' && (
        <SiteForm
          onSaved={(saved) => {
            setChosen(saved.id);
            finish(a.siteCreated(saved.name), 'sites');
          }}
          onCancel={() => setPanel(null)}
        />
      )}
      {list.length > 0 && (
        <div class="field">
          <label for="operator-site">{t.operator.site}</label>
          <select
            id="operator-site"
            value={listed?.id}
            onChange={(e) => {
              setPanel(null);
              setChosen(e.currentTarget.value);
            }}
          >
            {list.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.retired ? ` (${t.operator.retired})` : ''}
              </option>
            ))}
          </select>
        </div>
      )}
      {manageSite && panel?.kind !== 'editSite' && (
        <button type="button" class="admin-open" onClick={() => open({ kind: 'editSite' })}>
          {a.editSite(site.name)}
        </button>
      )}
      {manageSite && panel?.kind === 'editSite' && (
        <div class="admin-panel stack">
          <SiteForm
            site={site}
            onSaved={(saved) => finish(a.siteSaved(saved.name), 'sites')}
            onCancel={() => setPanel(null)}
          />
          <RetireStep<AdminSite>
            label={a.retireSite(site.name)}
            question={a.retireSiteAsk(site.name)}
            send={() => sendAdmin(RETIRE_SITE, { id: site.id })}
            onRetired={(retired) => finish(a.siteRetired(retired.name), 'sites')}
          />
        </div>
      )}
      {listed && <LoadState loaded={details} />}
      {site && spaces && (
        <SpacesTable
          siteName={site.name}
          spaces={spaces}
          onEdit={manageSite ? (space) => open({ kind: 'editSpace', space }) : undefined}
        />
      )}
      {manageSite && panel?.kind !== 'newSpace' && (
        <button type="button" class="admin-open" onClick={() => open({ kind: 'newSpace' })}>
          {a.addSpace}
        </button>
      )}
      {manageSite && panel?.kind === 'newSpace' && (
        <SpaceForm
          siteId={site.id}
          siteName={site.name}
          onSaved={(saved) => finish(a.spaceSaved(saved.label), 'spaces')}
          onCancel={() => setPanel(null)}
        />
      )}
      {manageSite && panel?.kind === 'editSpace' && (
        <div class="admin-panel stack" key={panel.space.id}>
          <SpaceForm
            siteId={site.id}
            siteName={site.name}
            space={panel.space}
            onSaved={(saved) => finish(a.spaceSaved(saved.label), 'spaces')}
            onCancel={() => setPanel(null)}
          />
          <RetireStep<StaffSpace>
            label={a.retireSpace(panel.space.label)}
            question={a.retireSpaceAsk(panel.space.label)}
            send={() => sendAdmin(RETIRE_SPACE, { id: panel.space.id })}
            onRetired={(retired) => finish(a.spaceRetired(retired.label), 'spaces')}
          />
        </div>
      )}
    </section>
  );
}

/** A site's spaces; with `onEdit`, each space still in service has a button to change it. */
function SpacesTable(props: {
  siteName: string;
  spaces: StaffSpace[];
  onEdit?: ((space: StaffSpace) => void) | undefined;
}) {
  const { t } = useI18n();
  return (
    <TableScroll label={`${t.operator.spaces}: ${props.siteName}`}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.operator.label}</th>
            <th scope="col">{t.operator.type}</th>
            <th scope="col">{t.operator.lock}</th>
            {props.onEdit && <th scope="col">{t.garageAdmin.actions}</th>}
          </tr>
        </thead>
        <tbody>
          {props.spaces.map((space) => (
            <tr key={space.id} class={space.retired ? 'retired' : undefined}>
              <td>
                {space.label}
                {space.retired && ` (${t.operator.retired})`}
              </td>
              <td>{t.spaceType[space.type]}</td>
              <td>
                <code>{space.lockDeviceId ?? '–'}</code>
              </td>
              {props.onEdit && (
                <td>
                  {!space.retired && (
                    <EditButton
                      name={t.garageAdmin.editSpace(space.label)}
                      onClick={() => props.onEdit?.(space)}
                    />
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
