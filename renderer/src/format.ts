import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formattersFor, localeFor, type Formatters } from './formatters';

export { localeFor, makeFormatters, type Formatters } from './formatters';

export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return useMemo(() => formattersFor(localeFor(i18n.language)), [i18n.language]);
}
