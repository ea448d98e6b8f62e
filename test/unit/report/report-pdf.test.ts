import { describe, expect, it } from 'vitest';
import { shownDocumentId } from '../../../electron/report-pdf';

describe('Save report as PDF: the document the window shows', () => {
  it('is the comparison or run in the hash, and nothing on other pages or for odd ids', () => {
    expect(shownDocumentId('app://isolab/index.html#/compare/20261130T174823110Z-compare-318e')).toBe('20261130T174823110Z-compare-318e');
    expect(shownDocumentId('app://isolab/index.html#/runs/r-1')).toBe('r-1');
    for (const url of ['app://isolab/index.html#/runs', 'app://isolab/index.html#/learn', 'app://isolab/index.html', 'app://isolab/index.html#/runs/../x', 'app://isolab/index.html#/runs/a/b'])
      expect(shownDocumentId(url)).toBeUndefined();
  });
});
