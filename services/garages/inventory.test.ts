import { describe, expect, it } from 'vitest';
import { useTestPlatform } from '../../test/support/platform.ts';

const platform = useTestPlatform();

const CREATE_SITE = `mutation($input: SiteInput!) { createSite(input: $input) {
  __typename ... on Site { id name tenant { id } position { lat lon } openingHours address { postalCode } }
  ... on ValidationError { field message } ... on Error { message } } }`;
const CREATE_SPACE = `mutation($input: SpaceInput!) { createSpace(input: $input) {
  __typename ... on Space { id label type lockDeviceId } ... on ValidationError { field message } ... on Error { message } } }`;

const siteInput = {
  name: 'Radstation Markt',
  street: 'Markt 1',
  postalCode: '58706',
  city: 'Menden (Sauerland)',
  position: { lat: 51.4431, lon: 7.7986 },
  openingHours: 'Mo-Fr 06:00-22:00',
};

describe('operators manage their town’s garages', () => {
  it('create, edit and retire a site and its spaces; retired ones disappear for commuters', async () => {
    const operator = await platform.staff('menden', 'operator');
    const site = (await platform.gql(CREATE_SITE, { input: siteInput }, operator.token)).data.createSite;
    expect(site).toMatchObject({
      __typename: 'Site',
      tenant: { id: 'menden' },
      position: { lat: 51.4431, lon: 7.7986 },
    });

    const space = (
      await platform.gql(
        CREATE_SPACE,
        { input: { siteId: site.id, label: 'E01', type: 'E_BIKE_CHARGING', lockDeviceId: 'men-markt-e01' } },
        operator.token,
      )
    ).data.createSpace;
    expect(space).toMatchObject({
      __typename: 'Space',
      type: 'E_BIKE_CHARGING',
      lockDeviceId: 'men-markt-e01',
    });
    const duplicate = await platform.gql(
      CREATE_SPACE,
      { input: { siteId: site.id, label: 'E01', type: 'STANDARD' } },
      operator.token,
    );
    expect(duplicate.data.createSpace).toMatchObject({ __typename: 'ValidationError', field: 'label' });

    const edited = await platform.gql(
      `mutation($id: ID!) { updateSpace(id: $id, input: { type: CARGO, label: "C01" }) { __typename ... on Space { label type } } }`,
      { id: space.id },
      operator.token,
    );
    expect(edited.data.updateSpace).toEqual({ __typename: 'Space', label: 'C01', type: 'CARGO' });
    const renamed = await platform.gql(
      `mutation($id: ID!) { updateSite(id: $id, input: { name: "Radstation am Markt", position: { lat: 51.44, lon: 7.8 } }) {
         __typename ... on Site { name position { lat } } } }`,
      { id: site.id },
      operator.token,
    );
    expect(renamed.data.updateSite).toEqual({
      __typename: 'Site',
      name: 'Radstation am Markt',
      position: { lat: 51.44 },
    });

    const commuter = await platform.commuter();
    const visible = await platform.gql(
      'query($id: ID!) { site(id: $id) { spaces { edges { node { label } } } } }',
      { id: site.id },
      commuter.token,
    );
    expect(visible.data.site.spaces.edges).toEqual([{ node: { label: 'C01' } }]);
    expect(
      (
        await platform.gql(
          `mutation($id: ID!) { retireSpace(id: $id) { __typename ... on Space { retired } } }`,
          { id: space.id },
          operator.token,
        )
      ).data.retireSpace,
    ).toEqual({ __typename: 'Space', retired: true });
    await platform.gql(
      `mutation($id: ID!) { retireSite(id: $id) { __typename } }`,
      { id: site.id },
      operator.token,
    );
    expect(
      (await platform.gql('query($id: ID!) { site(id: $id) { id } }', { id: site.id }, commuter.token)).data
        .site,
    ).toBeNull();
    // Staff still see their retired site, marked as such.
    expect(
      (await platform.gql('query($id: ID!) { site(id: $id) { retired } }', { id: site.id }, operator.token))
        .data.site,
    ).toEqual({
      retired: true,
    });
  });

  it('bad site input gets a ValidationError naming the field', async () => {
    const operator = await platform.staff('menden', 'operator');
    const cases: [Record<string, unknown>, string][] = [
      [{ ...siteInput, name: '  ' }, 'name'],
      [{ ...siteInput, position: { lat: 91, lon: 7.8 } }, 'lat'],
      [{ ...siteInput, position: { lat: 51, lon: -181 } }, 'lon'],
      [{ ...siteInput, postalCode: '5870' }, 'postalCode'],
    ];
    for (const [input, field] of cases) {
      const result = await platform.gql(CREATE_SITE, { input }, operator.token);
      expect(result.data.createSite).toMatchObject({ __typename: 'ValidationError', field });
    }
    const badLock = await platform.gql(
      CREATE_SPACE,
      {
        input: {
          siteId: '00000000-0000-4000-8000-000000000000',
          label: 'A',
          type: 'STANDARD',
          lockDeviceId: 'has space',
        },
      },
      operator.token,
    );
    expect(badLock.data.createSpace).toMatchObject({ __typename: 'ValidationError', field: 'lockDeviceId' });
  });

  it('one lock opens one space; an empty postal code means none', async () => {
    const operator = await platform.staff('menden', 'operator');
    const site = (
      await platform.gql(CREATE_SITE, { input: { ...siteInput, postalCode: '' } }, operator.token)
    ).data.createSite;
    expect(site).toMatchObject({ __typename: 'Site', address: { postalCode: null } });
    const first = await platform.gql(
      CREATE_SPACE,
      { input: { siteId: site.id, label: 'A1', type: 'STANDARD', lockDeviceId: 'men-shared-lock' } },
      operator.token,
    );
    expect(first.data.createSpace.__typename).toBe('Space');
    const second = await platform.gql(
      CREATE_SPACE,
      { input: { siteId: site.id, label: 'A2', type: 'STANDARD', lockDeviceId: 'men-shared-lock' } },
      operator.token,
    );
    expect(second.data.createSpace).toMatchObject({ __typename: 'ValidationError', field: 'lockDeviceId' });
  });

  it('planners, commuters and anonymous callers cannot change inventory', async () => {
    const planner = await platform.staff('menden', 'planner');
    const commuter = await platform.commuter();
    expect(
      (await platform.gql(CREATE_SITE, { input: siteInput }, planner.token)).data.createSite.__typename,
    ).toBe('ForbiddenError');
    expect(
      (await platform.gql(CREATE_SITE, { input: siteInput }, commuter.token)).data.createSite.__typename,
    ).toBe('ForbiddenError');
    expect((await platform.gql(CREATE_SITE, { input: siteInput })).data.createSite.__typename).toBe(
      'ForbiddenError',
    );
  });

  it('finds sites by position and radius, nearest first, and free spaces near a point', async () => {
    const operator = await platform.staff('soest', 'operator');
    const near = (
      await platform.gql(
        CREATE_SITE,
        { input: { ...siteInput, name: 'Nah', position: { lat: 51.5782, lon: 8.1085 } } },
        operator.token,
      )
    ).data.createSite;
    const far = (
      await platform.gql(
        CREATE_SITE,
        { input: { ...siteInput, name: 'Fern', position: { lat: 51.6, lon: 8.2 } } },
        operator.token,
      )
    ).data.createSite;
    await platform.gql(
      CREATE_SPACE,
      { input: { siteId: near.id, label: 'S1', type: 'STANDARD' } },
      operator.token,
    );
    const within2 = await platform.gql(
      '{ sites(near: { lat: 51.579, lon: 8.109 }, radiusKm: 2) { edges { node { id } } } }',
    );
    expect(within2.data.sites.edges.map((e: any) => e.node.id)).toEqual([near.id]);
    const within10 = await platform.gql(
      '{ sites(near: { lat: 51.579, lon: 8.109 }, radiusKm: 10) { edges { node { id } } } }',
    );
    expect(within10.data.sites.edges.map((e: any) => e.node.id)).toEqual([near.id, far.id]);
    const free = await platform.gql(
      `query($f: DateTime!, $t: DateTime!) { availabilityNear(near: { lat: 51.579, lon: 8.109 }, radiusKm: 10, from: $f, to: $t, spaceType: STANDARD) {
         site { id } freeCount distanceKm } }`,
      {
        f: new Date(Date.now() + 3_600_000).toISOString(),
        t: new Date(Date.now() + 7_200_000).toISOString(),
      },
    );
    expect(free.data.availabilityNear[0]).toMatchObject({ site: { id: near.id }, freeCount: 1 });
    expect(free.data.availabilityNear[0].distanceKm).toBeLessThan(0.2);
  });

  it('pages through sites with Relay cursors', async () => {
    const operator = await platform.staff('arnsberg', 'operator');
    for (const name of ['P1', 'P2', 'P3'])
      await platform.gql(CREATE_SITE, { input: { ...siteInput, name } }, operator.token);
    const first = await platform.gql(
      '{ sites(first: 2) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
    );
    expect(first.data.sites.edges).toHaveLength(2);
    expect(first.data.sites.pageInfo.hasNextPage).toBe(true);
    const next = await platform.gql(
      'query($after: String) { sites(first: 2, after: $after) { edges { node { id } } } }',
      {
        after: first.data.sites.pageInfo.endCursor,
      },
    );
    const firstIds = first.data.sites.edges.map((e: any) => e.node.id);
    for (const e of next.data.sites.edges) expect(firstIds).not.toContain(e.node.id);
  });
});
