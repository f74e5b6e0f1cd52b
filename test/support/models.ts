// Rubrics imported from the public model files in test/fixtures/models, in-process, as `rubric import` writes them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { importAwsLens } from '../../src/models/awsLens.js';
import { importDsomm } from '../../src/models/dsomm.js';
import { importPemm } from '../../src/models/pemm.js';
import { parseRubric } from '../../src/rubric/parse.js';
import type { Rubric } from '../../src/rubric/types.js';
import { parseYamlSource } from '../../src/source/yamlSource.js';
import { ROOT } from './cli.js';

const SOURCES = {
  'aws-lens': { file: 'aws-orr-lens.json', json: true, importer: importAwsLens },
  pemm: { file: 'pemm-questions-en.yaml', json: false, importer: importPemm },
  dsomm: { file: 'dsomm-model.yaml', json: false, importer: importDsomm },
} as const;

const imported = new Map<keyof typeof SOURCES, Rubric>();

/** The model's rubric, imported once per test process (the DSOMM file is 340 KB of YAML read with positions). */
export function importedRubric(from: keyof typeof SOURCES): Rubric {
  let rubric = imported.get(from);
  if (rubric === undefined) {
    rubric = importFresh(from);
    imported.set(from, rubric);
  }
  return rubric;
}

function importFresh(from: keyof typeof SOURCES): Rubric {
  const { file, json, importer } = SOURCES[from];
  const source = parseYamlSource(file, readFileSync(join(ROOT, 'test', 'fixtures', 'models', file)), {
    json,
    headerDocument: from === 'dsomm',
  });
  const result = importer(source.value, file, (p) => source.locate(p), source.header);
  const parsed = parseRubric(`${from}.yaml`, Buffer.from(stringify(result.rubric), 'utf8'), { builtIn: false });
  if (parsed.rubric === undefined) throw new Error(`${from} did not import: ${JSON.stringify(parsed.problems)}`);
  return parsed.rubric;
}
