/** URL of a sibling module with the extension this build runs from (.ts from source, .js compiled). */
export function moduleUrl(relative: string, base: string): string {
  const ext = base.endsWith('.ts') ? '.ts' : '.js';
  return new URL(relative.replace(/\.(ts|js)$/, ext), base).href;
}
