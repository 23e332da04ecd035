import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.tsx';
import type { PlotPoint } from './site-plot.tsx';

/**
 * A tile map, only when the operator configured a tile server (MAP_TILE_URL). Leaflet and
 * its stylesheet load on demand, so phones without the setting never download them.
 */
export function LeafletMap(props: { points: PlotPoint[]; tileUrl: string; attribution: string }) {
  const { t } = useI18n();
  const container = useRef<HTMLElement>(null);
  useEffect(() => {
    let map: import('leaflet').Map | undefined;
    let cancelled = false;
    void Promise.all([import('leaflet'), import('leaflet/dist/leaflet.css')]).then(([leaflet]) => {
      const L = leaflet.default;
      if (cancelled || !container.current) return;
      map = L.map(container.current, { scrollWheelZoom: false });
      L.tileLayer(props.tileUrl, { attribution: props.attribution, maxZoom: 19 }).addTo(map);
      const markers = props.points.map((p) =>
        L.circleMarker([p.lat, p.lon], {
          radius: 10,
          color: '#ffffff',
          weight: 2,
          fillColor: p.free ? '#0b6b3a' : '#5f6368',
          fillOpacity: 1,
        })
          .bindTooltip(`${p.number}. ${p.name}`)
          .addTo(map!),
      );
      if (markers.length > 0) map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2));
      else map.setView([51.25, 8.05], 9);
    });
    return () => {
      cancelled = true;
      map?.remove();
    };
  }, [props.points, props.tileUrl, props.attribution]);
  return <section ref={container} class="tile-map" aria-label={t.find.mapTitle} />;
}
