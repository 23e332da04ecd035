import { describe, expect, it } from 'vitest';
import { createGarage, hoursFromNow } from '../../test/support/fixtures.ts';
import { useTestPlatform } from '../../test/support/platform.ts';

const platform = useTestPlatform();

const CREATE = `mutation($input: TariffInput!) { createTariff(input: $input) { __typename
  ... on Tariff { id name spaceType hourCents dayCents weekCents monthCents subscriptionMonthCents depositCents vatRateBasisPoints retired tenant { id } }
  ... on ValidationError { field } ... on Error { message } } }`;
const UPDATE = `mutation($id: ID!, $input: TariffPatchInput!) { updateTariff(id: $id, input: $input) { __typename
  ... on Tariff { id hourCents dayCents name } ... on ValidationError { field } ... on Error { message } } }`;
const RETIRE = `mutation($id: ID!) { retireTariff(id: $id) { __typename ... on Tariff { retired } ... on Error { message } } }`;
const TARIFFS = `query($tenant: String, $all: Boolean) { tariffs(tenant: $tenant, includeRetired: $all) { id spaceType retired tenant { id } } }`;
const QUOTE = `query($spaceId: ID!, $from: DateTime!, $to: DateTime!) { quote(spaceId: $spaceId, from: $from, to: $to) { __typename
  ... on Quote { amountCents vatCents netCents vatRateBasisPoints depositCents totalCents free lines { unit quantity unitPriceCents amountCents } tariff { id } }
  ... on ValidationError { field } ... on Error { message } } }`;

const standard = {
  spaceType: 'STANDARD',
  name: 'Standard',
  hourCents: 100,
  dayCents: 800,
  weekCents: 4000,
  vatRateBasisPoints: 1900,
};

describe('tariffs: operators and admins of a town manage them', () => {
  it('an operator creates, updates and retires a tariff of their own town; one in force per space type', async () => {
    const op = await platform.staff('arnsberg', 'operator');
    const created = await platform.gql(CREATE, { input: { ...standard, depositCents: 1000 } }, op.token);
    expect(created.data.createTariff).toMatchObject({
      __typename: 'Tariff',
      tenant: { id: 'arnsberg' },
      hourCents: 100,
      monthCents: null,
      depositCents: 1000,
      vatRateBasisPoints: 1900,
      retired: false,
    });
    const id = created.data.createTariff.id;

    const twice = await platform.gql(CREATE, { input: standard }, op.token);
    expect(twice.data.createTariff).toMatchObject({ __typename: 'ValidationError', field: 'spaceType' });

    const updated = await platform.gql(UPDATE, { id, input: { dayCents: 700, hourCents: null } }, op.token);
    expect(updated.data.updateTariff).toMatchObject({ hourCents: null, dayCents: 700, name: 'Standard' });

    expect((await platform.gql(RETIRE, { id }, op.token)).data.retireTariff).toEqual({
      __typename: 'Tariff',
      retired: true,
    });
    // Retired: gone for commuters, kept for the town's staff; a new one may now be created.
    expect((await platform.gql(TARIFFS, { tenant: 'arnsberg' })).data.tariffs).toEqual([]);
    const staffView = await platform.gql(TARIFFS, { tenant: 'arnsberg', all: true }, op.token);
    expect(staffView.data.tariffs).toEqual([
      { id, spaceType: 'STANDARD', retired: true, tenant: { id: 'arnsberg' } },
    ]);
    expect((await platform.gql(CREATE, { input: standard }, op.token)).data.createTariff.__typename).toBe(
      'Tariff',
    );
  });

  it('planners and commuters may not manage tariffs; staff of another town cannot see or change them', async () => {
    const op = await platform.staff('menden', 'operator');
    const id = (await platform.gql(CREATE, { input: { ...standard, spaceType: 'CARGO' } }, op.token)).data
      .createTariff.id;
    const planner = await platform.staff('menden', 'planner');
    const commuter = await platform.commuter();
    expect(
      (await platform.gql(CREATE, { input: standard }, planner.token)).data.createTariff.__typename,
    ).toBe('ForbiddenError');
    expect(
      (await platform.gql(CREATE, { input: standard }, commuter.token)).data.createTariff.__typename,
    ).toBe('ForbiddenError');
    // Row-level security: Olpe's operator does not find Menden's tariff.
    const olpe = await platform.staff('olpe', 'operator');
    expect(
      (await platform.gql(UPDATE, { id, input: { dayCents: 1 } }, olpe.token)).data.updateTariff.__typename,
    ).toBe('NotFoundError');
    expect((await platform.gql(RETIRE, { id }, olpe.token)).data.retireTariff.__typename).toBe(
      'NotFoundError',
    );
    const retiredForOlpe = await platform.gql(TARIFFS, { tenant: 'menden', all: true }, olpe.token);
    expect(retiredForOlpe.data.tariffs.map((t: { id: string }) => t.id)).toEqual([id]); // in force: public
  });

  it('validates prices, VAT and that something is offered, naming the field', async () => {
    const op = await platform.staff('soest', 'operator');
    const cases: [Record<string, unknown>, string][] = [
      [{ hourCents: -1 }, 'hourCents'],
      [{ dayCents: 100_001 }, 'dayCents'],
      [{ vatRateBasisPoints: 10_001 }, 'vatRateBasisPoints'],
      [{ vatRateBasisPoints: -1 }, 'vatRateBasisPoints'],
      [{ hourCents: null, dayCents: null, weekCents: null }, 'hourCents'],
      [{ name: ' ' }, 'name'],
    ];
    for (const [patch, field] of cases) {
      const result = await platform.gql(
        CREATE,
        { input: { ...standard, spaceType: 'LARGE', ...patch } },
        op.token,
      );
      expect(result.data.createTariff, JSON.stringify(patch)).toMatchObject({
        __typename: 'ValidationError',
        field,
      });
    }
    // Boundaries: 0 (free) and 100,000 cents, 0 % and 100 % VAT are accepted.
    const edge = await platform.gql(
      CREATE,
      {
        input: {
          spaceType: 'LARGE',
          name: 'Rand',
          hourCents: 0,
          dayCents: 100_000,
          vatRateBasisPoints: 10_000,
        },
      },
      op.token,
    );
    expect(edge.data.createTariff.__typename).toBe('Tariff');
  });
});

describe('quote: the server computes the price', () => {
  it('26 hours = 1 day + 2 hours with VAT and deposit; 2 days when cheaper; free without a tariff', async () => {
    const { spaces } = await createGarage(platform.database.db, {
      tenantId: 'bad-berleburg',
      spaces: { STANDARD: 1, CARGO: 1 },
    });
    const op = await platform.staff('bad-berleburg', 'operator');
    await platform.gql(CREATE, { input: { ...standard, depositCents: 500 } }, op.token);
    const from = hoursFromNow(2);
    const to = new Date(from.getTime() + 26 * 3_600_000);
    const quote = (await platform.gql(QUOTE, { spaceId: spaces[0]!.id, from, to })).data.quote;
    expect(quote).toMatchObject({
      __typename: 'Quote',
      amountCents: 1000,
      vatCents: 160,
      netCents: 840,
      vatRateBasisPoints: 1900,
      depositCents: 500,
      totalCents: 1500,
      free: false,
      lines: [
        { unit: 'DAY', quantity: 1, unitPriceCents: 800, amountCents: 800 },
        { unit: 'HOUR', quantity: 2, unitPriceCents: 100, amountCents: 200 },
      ],
    });
    // One minute more is a started hour: 3 hours (300) < a second day (800).
    const longer = (
      await platform.gql(QUOTE, { spaceId: spaces[0]!.id, from, to: new Date(to.getTime() + 60_000) })
    ).data.quote;
    expect(longer.amountCents).toBe(1100);
    await platform.gql(UPDATE, { id: quote.tariff.id, input: { hourCents: 500 } }, op.token);
    const cheaperDays = (await platform.gql(QUOTE, { spaceId: spaces[0]!.id, from, to })).data.quote;
    expect(cheaperDays.lines).toEqual([{ unit: 'DAY', quantity: 2, unitPriceCents: 800, amountCents: 1600 }]);

    const free = (await platform.gql(QUOTE, { spaceId: spaces[1]!.id, from, to })).data.quote;
    expect(free).toMatchObject({ totalCents: 0, free: true, lines: [], tariff: null });
  });

  it('refuses periods a booking would refuse, and unknown spaces', async () => {
    const { spaces } = await createGarage(platform.database.db);
    const from = hoursFromNow(2);
    const bad = await platform.gql(QUOTE, { spaceId: spaces[0]!.id, from, to: from });
    expect(bad.data.quote).toMatchObject({ __typename: 'ValidationError', field: 'to' });
    const unknown = await platform.gql(QUOTE, {
      spaceId: '00000000-0000-0000-0000-000000000000',
      from,
      to: hoursFromNow(3),
    });
    expect(unknown.data.quote.__typename).toBe('NotFoundError');
  });
});
