/** URL of a sibling module with the extension this build runs from (.ts from source, .js compiled). */
export function moduleUrl(relative: string, base: string): string {
  // tsx's tsImport (worker threads) loads modules under URLs with a query (?tsx-namespace=…).
  const ext = new URL(base).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(relative.replace(/\.(ts|js)$/, ext), base).href;
}
