// A module hook that records every module the process loads, one URL per line, into $TRACE_IMPORTS.
import { register } from 'node:module';

register('./traceImportsHook.mjs', import.meta.url, { data: { file: process.env.TRACE_IMPORTS } });
