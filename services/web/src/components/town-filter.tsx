import { useState } from 'preact/hooks';
import { gql } from '../api/client.ts';
import { TENANTS } from '../api/operations.ts';
import { Notice, useLoad } from './ui.tsx';

/**
 * What the bike-box search and the station list share: the towns to choose from, the
 * reader's position on request, and what the page says about that position.
 */

export type Position = { lat: number; lon: number };

/** The reader's position once asked for with `locate`; `denied` when the browser refused it. */
export function useHere() {
  const [here, setHere] = useState<Position | null>(null);
  const [denied, setDenied] = useState(false);
  const locate = () => {
    if (!('geolocation' in navigator)) return setDenied(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setDenied(false);
        setHere({ lat: position.coords.latitude, lon: position.coords.longitude });
      },
      () => setDenied(true),
      { maximumAge: 60_000, timeout: 10_000 },
    );
  };
  return { here, denied, locate };
}

/** A select of the region's towns, with a first option for all of them. */
export function TownSelect(props: {
  id: string;
  label: string;
  allLabel: string;
  value: string;
  onChange(tenantId: string): void;
}) {
  const towns = useLoad(() => gql<{ tenants: { id: string; name: string }[] }>(TENANTS), []);
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{props.allLabel}</option>
        {(towns.data?.tenants ?? []).map((town) => (
          <option key={town.id} value={town.id}>
            {town.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** "Nearest first" once the position is known; why not, when the browser refused it. */
export function NearMeNotes(props: {
  here: Position | null;
  denied: boolean;
  active: string;
  refused: string;
}) {
  return (
    <>
      {props.here && <p class="hint">{props.active}</p>}
      {props.denied && <Notice kind="info">{props.refused}</Notice>}
    </>
  );
}
