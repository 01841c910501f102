/** The process of a benchmark measured on its own (own-process.ts): answers each 'run' with one measurement. */
const [moduleUrl, exportName] = process.argv.slice(2) as [string, string];
const measure = ((await import(moduleUrl)) as Record<string, unknown>)[exportName];

process.on('message', () => {
  void (async () => {
    try {
      if (typeof measure !== 'function') throw new Error(`${moduleUrl} exports no function '${exportName}'`);
      process.send?.({ measurement: await (measure as () => Promise<unknown>)() });
    } catch (error) {
      process.send?.({ error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
// The parent's channel keeps this process alive between runs; it ends when the parent does.
process.on('disconnect', () => process.exit(0));
