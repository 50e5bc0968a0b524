/**
 * Piscina loads the worker entry through `require` (tsx's CommonJS hook for `.ts`), and on Node 20
 * the ESM hooks that `--import tsx` registers do not reach a worker's dynamic `import()` of a `.ts`
 * file (ERR_UNKNOWN_FILE_EXTENSION). tsx's scoped `tsImport` loads it, and its imports, instead.
 */
export async function importModule(url: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (!url.endsWith('.ts') || (error as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}
