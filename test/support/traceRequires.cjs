// Preloaded with --require: records every module the process loads through require() — CommonJS, which the import
// hook (traceImports.mjs) does not see — one resolved path per line, into $TRACE_IMPORTS.
const Module = require('node:module');
const { appendFileSync } = require('node:fs');

const load = Module._load;
Module._load = function traced(request, parent, isMain) {
  const loaded = load.apply(this, arguments);
  try {
    appendFileSync(process.env.TRACE_IMPORTS, `${Module._resolveFilename(request, parent, isMain)}\n`);
  } catch {
    // a built-in the resolver does not name, or no trace file: nothing to record
  }
  return loaded;
};
