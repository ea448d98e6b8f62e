import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { localeFor } from '../format';

/** Sizes in binary units with the language's own symbols (MiB / Mio) and digits (1.5 / 1,5). */
export function useBytes(): (v: number | undefined) => string {
  const { t, i18n } = useTranslation('learn');
  return useMemo(() => {
    const locale = localeFor(i18n.language);
    const nf = (d: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: d, minimumFractionDigits: 0 });
    return (v) => {
      if (v === undefined || !Number.isFinite(v)) return '–';
      if (v >= 2 ** 30) return t('units.gib', { value: nf(2).format(v / 2 ** 30) });
      if (v >= 2 ** 20) return t('units.mib', { value: nf(v >= 100 * 2 ** 20 ? 0 : 1).format(v / 2 ** 20) });
      return t('units.kib', { value: nf(0).format(v / 1024) });
    };
  }, [t, i18n.language]);
}
