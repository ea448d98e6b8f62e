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

/** One item of the API's answer (the fields used here). */
export interface RetailPriceItem {
  armSkuName: string;
  retailPrice: number;
  unitOfMeasure: string;
  productName: string;
  skuName: string;
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

/**
 * The catalogue with the prices found; sizes the answer lacks keep their indicative price and are listed in
 * `missing` so the caller can say so. The result is marked not indicative only if every size was priced.
 */
export function applyRetailPrices(cat: Catalogue, items: RetailPriceItem[], region: string, at: Date): { catalogue: Catalogue; missing: string[] } {
  const price = new Map<string, number>();
  for (const i of items) {
    if (!isLinuxPayg(i) || (i.armRegionName && i.armRegionName !== region)) continue;
    // Several meters can match (e.g. per-product variants); keep the lowest, as the portal's "starting at".
    const prev = price.get(i.armSkuName);
    if (prev === undefined || i.retailPrice < prev) price.set(i.armSkuName, i.retailPrice);
  }
  const missing = cat.sizes.filter((s) => !price.has(s.name)).map((s) => s.name);
  const catalogue = Catalogue.parse({
    ...cat,
    region,
    sizes: cat.sizes.map((s) => ({ ...s, pricePerHour: price.get(s.name) ?? s.pricePerHour })),
    indicative: missing.length > 0,
    refreshedAt: at.toISOString(),
    about: `${cat.about ?? ''} Prices refreshed from ${RETAIL_PRICES_URL} on ${at.toISOString()}${missing.length ? `; still indicative for ${missing.join(', ')}` : ''}.`.trim(),
  });
  return { catalogue, missing };
}
