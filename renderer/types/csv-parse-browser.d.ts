// The part of csv-parse's browser build the renderer uses. Its own declarations reference @types/node (they take a
// Buffer), which would bring every Node global into the renderer's compile: tsconfig.web.json maps the module here.
export interface Options {
  skip_empty_lines?: boolean;
  trim?: boolean;
  comment?: string;
  relax_column_count?: boolean;
}
export function parse(input: string, options?: Options): string[][];
