import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE, applyRetailPrices, diskPricesQuery, retailPricesQuery, type RetailPriceItem } from '../../../shared/sim';

// Recorded the way the Azure Retail Prices API answers (fields trimmed); no network in tests.
const item = (armSkuName: string, retailPrice: number, over: Partial<RetailPriceItem> = {}): RetailPriceItem => ({
  armSkuName,
  retailPrice,
  unitOfMeasure: '1 Hour',
  productName: 'Virtual Machines Dsv5 Series',
  skuName: armSkuName.replace('Standard_', '').replace(/_/g, ' '),
  type: 'Consumption',
  armRegionName: 'eastus',
  ...over,
});

const disk = (tier: string, retailPrice: number, over: Partial<RetailPriceItem> = {}): RetailPriceItem => ({
  armSkuName: '',
  retailPrice,
  unitOfMeasure: '1/Month',
  productName: 'Premium SSD Managed Disks',
  skuName: `${tier} LRS`,
  meterName: `${tier} LRS Disk`,
  type: 'Consumption',
  armRegionName: 'eastus',
  ...over,
});

describe('refreshing prices', () => {
  it('asks for the catalogue sizes in one region, pay-as-you-go', () => {
    const q = decodeURIComponent(retailPricesQuery(DEFAULT_CATALOGUE, 'westeurope'));
    expect(q).toContain("armRegionName eq 'westeurope'");
    expect(q).toContain("priceType eq 'Consumption'");
    expect(q).toContain("armSkuName eq 'Standard_D8s_v5'");
  });

  it('keeps Linux pay-as-you-go hourly prices, drops Windows, Spot and Low Priority, and says what is missing', () => {
    const items = [
      item('Standard_D4s_v5', 0.2),
      item('Standard_D4s_v5', 0.38, { productName: 'Virtual Machines Dsv5 Series Windows' }),
      item('Standard_D4s_v5', 0.04, { skuName: 'D4s v5 Spot' }),
      item('Standard_D4s_v5', 0.05, { skuName: 'D4s v5 Low Priority' }),
      item('Standard_D8s_v5', 0.4),
      item('Standard_D8s_v5', 0.3, { armRegionName: 'westus' }),
    ];
    const { catalogue, missing } = applyRetailPrices(DEFAULT_CATALOGUE, items, 'eastus', new Date('2026-11-26T12:00:00Z'));
    const price = (n: string) => catalogue.sizes.find((s) => s.name === n)!.pricePerHour;
    expect(price('Standard_D4s_v5')).toBe(0.2);
    expect(price('Standard_D8s_v5')).toBe(0.4);
    expect(price('Standard_E4s_v5')).toBe(0.252); // not in the answer: the indicative price stays
    expect(missing).toContain('Standard_E4s_v5');
    expect(catalogue.indicative).toBe(true);
    expect(missing).toContain('P4 disk');
    const disks = DEFAULT_CATALOGUE.disks!.tiers.map((t) => disk(t.name, 3));
    const all = applyRetailPrices(DEFAULT_CATALOGUE, [...DEFAULT_CATALOGUE.sizes.map((s) => item(s.name, 1)), ...disks], 'eastus', new Date('2026-11-26T12:00:00Z'));
    expect(all.missing).toEqual([]);
    expect(all.catalogue.indicative).toBe(false);
    expect(all.catalogue.refreshedAt).toBe('2026-11-26T12:00:00.000Z');
    expect(all.catalogue.disks!.tiers.map((t) => t.pricePerMonth)).toEqual([3, 3, 3]);
  });

  it('prices the OS disk tiers from their monthly Premium SSD LRS meters only', () => {
    const q = decodeURIComponent(diskPricesQuery(DEFAULT_CATALOGUE, 'westeurope')!);
    expect(q).toContain("productName eq 'Premium SSD Managed Disks'");
    expect(q).toContain("meterName eq 'P4 LRS Disk'");
    const items = [
      disk('P4', 5.5),
      disk('P4', 6.1, { meterName: 'P4 ZRS Disk' }),
      disk('P4', 0.5, { unitOfMeasure: '1 Hour' }),
      disk('P6', 9, { productName: 'Standard SSD Managed Disks', meterName: 'E6 LRS Disk' }),
    ];
    const { catalogue, missing } = applyRetailPrices(DEFAULT_CATALOGUE, items, 'eastus', new Date('2026-11-26T12:00:00Z'));
    expect(catalogue.disks!.tiers.find((t) => t.name === 'P4')!.pricePerMonth).toBe(5.5);
    expect(catalogue.disks!.tiers.find((t) => t.name === 'P6')!.pricePerMonth).toBe(9.2801);
    expect(missing).toEqual(expect.arrayContaining(['P6 disk', 'P10 disk']));
  });
});
