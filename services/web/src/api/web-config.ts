/** What the API tells the app at start (GET /config.json, see services/web/serve.ts). */
export interface WebConfig {
  mapTileUrl: string | null;
  mapAttribution: string;
}

const fallback: WebConfig = { mapTileUrl: null, mapAttribution: '' };
let loading: Promise<WebConfig> | undefined;

/** Asked once per page load; without an answer the app simply shows no tile map. */
export function loadWebConfig(): Promise<WebConfig> {
  loading ??= fetch('/config.json')
    .then((response) => (response.ok ? (response.json() as Promise<WebConfig>) : fallback))
    .catch(() => fallback);
  return loading;
}
