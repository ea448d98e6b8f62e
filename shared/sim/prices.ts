import { Catalogue } from './catalogue';

/**
 * Refreshing the catalogue's prices from the Azure Retail Prices API (https://prices.azure.com/api/retail/prices,
 * public, no key). Only an explicit user action calls it (`isolab sim prices --refresh`); tests feed recorded
 * pages to `applyRetailPrices` and never touch the network.
 */
export const RETAIL_PRICES_URL = 'https://prices.azure.com/api/retail/prices';

/** The query for the catalogue's sizes in one region: Linux, pay-as-you-go, per hour. */
export function retailPricesQuery(cat: Catalogue, region: string, currency = cat.currency): string {
  const skus = cat.sizes.map((s) => `armSkuName eq '${s.name.replace(/'/g, "''")}'`).join(' or ');
  const filter = `serviceName eq 'Virtual Machines' and priceType eq 'Consumption' and armRegionName eq '${region.replace(/'/g, "''")}' and (${skus})`;
  return `${RETAIL_PRICES_URL}?currencyCode=${encodeURIComponent(`'${currency}'`)}&$filter=${encodeURIComponent(filter)}`;
}

/** The query for the catalogue's OS disk tiers (Premium SSD LRS managed disks) in one region, per month. */
export function diskPricesQuery(cat: Catalogue, region: string, currency = cat.currency): string | undefined {
  if (!cat.disks) return undefined;
  const meters = cat.disks.tiers.map((t) => `meterName eq '${t.name.replace(/'/g, "''")} LRS Disk'`).join(' or ');
  const filter = `serviceName eq 'Storage' and productName eq 'Premium SSD Managed Disks' and priceType eq 'Consumption' and armRegionName eq '${region.replace(/'/g, "''")}' and (${meters})`;
  return `${RETAIL_PRICES_URL}?currencyCode=${encodeURIComponent(`'${currency}'`)}&$filter=${encodeURIComponent(filter)}`;
}

/** One item of the API's answer (the fields used here). */
export interface RetailPriceItem {
  armSkuName: string;
  retailPrice: number;
  unitOfMeasure: string;
  productName: string;
  skuName: string;
  meterName?: string;
  type?: string;
  armRegionName?: string;
  currencyCode?: string;
}

/** Linux pay-as-you-go per hour: not Windows, not Spot, not Low Priority, not a reservation. */
function isLinuxPayg(i: RetailPriceItem): boolean {
  return (
    (i.type === undefined || i.type === 'Consumption') &&
    /hour/i.test(i.unitOfMeasure) &&
    !/windows/i.test(i.productName) &&
    !/spot|low priority/i.test(i.skuName)
  );
}

/** A Premium SSD LRS disk tier's monthly price: "P4 LRS Disk", per month, not a reservation. */
function isDiskTier(i: RetailPriceItem, tier: string): boolean {
  return (i.type === undefined || i.type === 'Consumption') && i.meterName === `${tier} LRS Disk` && /month/i.test(i.unitOfMeasure) && /premium ssd managed disks/i.test(i.productName);
}

/**
 * The catalogue with the prices found, VM sizes and disk tiers alike; those the answer lacks keep their
 * indicative price and are listed in `missing` so the caller can say so. The result is marked not indicative
 * only if everything was priced.
 */
export function applyRetailPrices(cat: Catalogue, items: RetailPriceItem[], region: string, at: Date): { catalogue: Catalogue; missing: string[] } {
  const price = new Map<string, number>();
  for (const i of items) {
    if (!isLinuxPayg(i) || (i.armRegionName && i.armRegionName !== region)) continue;
    // Several meters can match (e.g. per-product variants); keep the lowest, as the portal's "starting at".
    const prev = price.get(i.armSkuName);
    if (prev === undefined || i.retailPrice < prev) price.set(i.armSkuName, i.retailPrice);
  }
  const diskPrice = new Map<string, number>();
  for (const t of cat.disks?.tiers ?? []) {
    const found = items.filter((i) => isDiskTier(i, t.name) && (!i.armRegionName || i.armRegionName === region)).map((i) => i.retailPrice);
    if (found.length) diskPrice.set(t.name, Math.min(...found));
  }
  const missing = [
    ...cat.sizes.filter((s) => !price.has(s.name)).map((s) => s.name),
    ...(cat.disks?.tiers ?? []).filter((t) => !diskPrice.has(t.name)).map((t) => `${t.name} disk`),
  ];
  const catalogue = Catalogue.parse({
    ...cat,
    region,
    sizes: cat.sizes.map((s) => ({ ...s, pricePerHour: price.get(s.name) ?? s.pricePerHour })),
    disks: cat.disks && { ...cat.disks, tiers: cat.disks.tiers.map((t) => ({ ...t, pricePerMonth: diskPrice.get(t.name) ?? t.pricePerMonth })) },
    indicative: missing.length > 0,
    refreshedAt: at.toISOString(),
    about: `${cat.about ?? ''} Prices refreshed from ${RETAIL_PRICES_URL} on ${at.toISOString()}${missing.length ? `; still indicative for ${missing.join(', ')}` : ''}.`.trim(),
  });
  return { catalogue, missing };
}
