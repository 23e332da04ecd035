import { resolveOffsetConnection } from '@pothos/plugin-relay';

/** Largest page a client may ask for; bigger `first` values are cut to this. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** Relay connection over an offset query; cursors are opaque to clients. */
export function offsetConnection<T>(
  args: PageArgs,
  load: (page: { limit: number; offset: number }) => Promise<T[]>,
) {
  return resolveOffsetConnection(
    {
      args: { first: args.first ?? undefined, after: args.after ?? undefined },
      defaultSize: DEFAULT_PAGE_SIZE,
      maxSize: MAX_PAGE_SIZE,
    },
    ({ limit, offset }) => load({ limit, offset }),
  );
}
