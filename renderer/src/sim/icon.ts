/** The Simulate page's navigation icon (24x24 stroke path): a rising step curve over an axis. */
export const simulateIcon = 'M3 20h18M4 17h4v-5h4V8h4V4h4';
