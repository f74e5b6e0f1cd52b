// What `npm run build` (and the tests' global setup) run after tsc: the precompiled validators, and the executable's
// mode. tsc writes dist/bin.js as a plain file; npx and a linked install run it as a program, and a rebuild that wrote
// it afresh left `npx cnassess` with "Permission denied".

import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writePrecompiledValidators } from './precompileValidators.js';

writePrecompiledValidators();
chmodSync(fileURLToPath(new URL('../bin.js', import.meta.url)), 0o755);
