// The OWASP DevSecOps Maturity Model (DSOMM), as its generated model.yaml holds it (dimension → sub-dimension →
// activity), as a cnassess rubric scored as DSOMM scores it: a sub-dimension is at level L when every activity of
// level L and below is implemented (aspectRule: cumulative). Each activity is a yes-no question whose "yes" is at the
// activity's level and "no" at level 0; each sub-dimension an aspect, grouped under its dimension. Pure.

import { escapePointer } from '../source/yamlSource.js';
import { clip, isRaw, problemsIn, textOf, uniqueIds, type Locate, type ModelImport, type Raw } from './common.js';

/** DSOMM's levels, as its site names them; the model file numbers activities 1–5 without naming the levels. */
const LEVELS = [
  { level: 0, name: 'Not started', summary: 'No activity of the sub-dimension is implemented yet.' },
  { level: 1, name: 'Basic understanding', summary: 'Basic understanding of security practices.' },
  { level: 2, name: 'Basic adoption', summary: 'Adoption of basic security practices.' },
  { level: 3, name: 'High adoption', summary: 'High adoption of security practices.' },
  { level: 4, name: 'Advanced', summary: 'Advanced deployment of security practices at scale.' },
  { level: 5, name: 'Leading', summary: 'Security practices beyond the advanced, where the model has activities for it.' },
] as const;

export function importDsomm(value: unknown, file: string, locate: Locate, header?: unknown): ModelImport {
  const { problems, problem } = problemsIn(file, locate);
  const notes: string[] = [];
  if (!isRaw(value) || Object.keys(value).length === 0) {
    problem('', 'dsomm-not-model', 'the file is not a DSOMM model (expected dimensions → sub-dimensions → activities)');
    return { problems, notes };
  }
  const ids = uniqueIds();
  const questionOf = new Map<string, string>(); // activity uuid → question id
  const stepOf = new Map<string, string>(); // activity uuid → recommendation id
  type Activity = { at: string; uuid: string; name: string; level: number; dependsOn: unknown; raw: Raw };
  const subDimensions: { dimension: string; name: string; at: string; activities: Activity[] }[] = [];
  const seen = new Map<string, string>(); // uuid → the activity that has it
  for (const [dimension, subs] of Object.entries(value)) {
    const dAt = `/${escapePointer(dimension)}`;
    if (!isRaw(subs)) {
      problem(dAt, 'dsomm-dimension', `dimension "${dimension}" must map sub-dimensions to their activities`);
      continue;
    }
    for (const [name, activities] of Object.entries(subs)) {
      const sAt = `${dAt}/${escapePointer(name)}`;
      if (!isRaw(activities) || Object.keys(activities).length === 0) {
        problem(sAt, 'dsomm-sub-dimension', `sub-dimension "${name}" must map activity names to activities`);
        continue;
      }
      const list: Activity[] = [];
      for (const [activityName, activity] of Object.entries(activities)) {
        const aAt = `${sAt}/${escapePointer(activityName)}`;
        if (!isRaw(activity)) {
          problem(aAt, 'dsomm-activity', `activity "${activityName}" must be a mapping with uuid and level`);
          continue;
        }
        const uuid = textOf(activity.uuid);
        if (uuid === undefined) problem(`${aAt}/uuid`, 'dsomm-missing', `activity "${activityName}" has no uuid`);
        const level = activity.level;
        if (typeof level !== 'number' || !LEVELS.some((l) => l.level === level && level > 0))
          problem(`${aAt}/level`, 'dsomm-level', `${JSON.stringify(level)} is not a level of an activity (expected 1 to 5)`);
        if (uuid !== undefined && seen.has(uuid))
          problem(`${aAt}/uuid`, 'dsomm-duplicate', `uuid ${uuid} is also the uuid of "${seen.get(uuid) ?? ''}"`);
        else if (uuid !== undefined) seen.set(uuid, activityName);
        if (uuid !== undefined && typeof level === 'number')
          list.push({ at: aAt, uuid, name: activityName, level, dependsOn: activity.dependsOn, raw: activity });
      }
      subDimensions.push({ dimension, name, at: sAt, activities: list });
    }
  }
  if (problems.length > 0) return { problems, notes };
  // Ids first, so a step can require a step of any sub-dimension.
  for (const sub of subDimensions)
    for (const a of sub.activities) {
      questionOf.set(a.uuid, ids.claim(a.name, 'a'));
      stepOf.set(a.uuid, ids.claim(`do-${a.name}`, 'do'));
    }
  const unknownDependencies = new Set<string>();
  const requiresOf = acyclicRequires(
    subDimensions.flatMap((s) => s.activities),
    (d) => {
      const step = typeof d === 'string' ? stepOf.get(d) : undefined;
      if (step === undefined && typeof d === 'string') unknownDependencies.add(d);
      return step;
    },
    (a) => stepOf.get(a.uuid) ?? '',
    notes,
  );
  const aspects = subDimensions.map((sub) => ({
    id: ids.claim(sub.name, 's'),
    title: sub.name,
    summary: `The ${sub.name} sub-dimension of ${sub.dimension}, in the OWASP DevSecOps Maturity Model.`,
    group: sub.dimension,
    sourceId: `${sub.dimension}/${sub.name}`,
    questions: sub.activities.map((a) => ({
      id: questionOf.get(a.uuid) ?? '',
      text: clip(`Is this implemented: ${a.name}?`, 300),
      ...(helpOf(a.raw) !== undefined && { help: helpOf(a.raw) }),
      type: 'yes-no' as const,
      sourceId: a.uuid,
      choices: [
        { id: 'yes', label: 'Implemented', level: a.level },
        { id: 'no', label: 'Not implemented', level: 0 },
      ],
    })),
    recommendations: sub.activities.map((a) => {
      const requires = requiresOf.get(stepOf.get(a.uuid) ?? '') ?? [];
      return {
        id: stepOf.get(a.uuid) ?? '',
        title: clip(`Implement: ${a.name}`, 300),
        why: clip(textOf(a.raw.risk) ?? textOf(a.raw.measure) ?? `${a.name} is a level-${a.level} activity of ${sub.name}.`, 2000),
        level: a.level,
        effort: effortOf(a.raw.difficultyOfImplementation),
        impact: impactOf(a.raw.usefulness),
        raises: [questionOf.get(a.uuid) ?? ''],
        ...(requires.length > 0 && { requires }),
      };
    }),
  }));
  if (unknownDependencies.size > 0)
    notes.push(
      `${unknownDependencies.size} dependencies name activities that are not in the model (by name or a uuid cnassess did not find): left out`,
    );
  const meta = isRaw(header) && isRaw(header.meta) ? header.meta : undefined;
  const version = typeof meta?.version === 'string' && /^\d+\.\d+\.\d+$/.test(meta.version) ? meta.version : undefined;
  if (version === undefined) notes.push('the model has no meta.version: the rubric is version 1.0.0');
  notes.push(
    'level names and level 0 ("Not started") are cnassess’s: the model numbers its activities’ levels without naming them',
    'a sub-dimension is levelled as DSOMM levels it (aspectRule: cumulative): the highest level at which every activity up to it is implemented',
    'each activity became a step: effort from its difficulty of implementation, impact from its usefulness',
  );
  return {
    problems,
    notes,
    rubric: {
      id: 'owasp-dsomm',
      version: version ?? '1.0.0',
      title: 'OWASP DevSecOps Maturity Model',
      description: 'The OWASP DevSecOps Maturity Model (https://dsomm.owasp.org/), imported from its model.yaml.',
      aspectRule: 'cumulative',
      nouns: { aspect: 'sub-dimension', aspects: 'sub-dimensions' },
      levels: LEVELS.map((l) => ({ ...l })),
      aspects,
    },
  };
}

/**
 * Each step's `requires`, from its activity's `dependsOn`: a step never requires itself, and a dependency that would
 * close a cycle (which the rubric refuses) is left out and said so.
 */
function acyclicRequires<A extends { dependsOn: unknown }>(
  activities: readonly A[],
  stepOfDependency: (d: unknown) => string | undefined,
  stepOf: (a: A) => string,
  notes: string[],
): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const a of activities) {
    const self = stepOf(a);
    const targets = (Array.isArray(a.dependsOn) ? a.dependsOn : []).flatMap((d) => {
      const step = stepOfDependency(d);
      return step === undefined || step === self ? [] : [step];
    });
    edges.set(self, [...new Set(targets)]);
  }
  // Keep an edge only when its target cannot already reach its source through the edges kept so far.
  const kept = new Map<string, string[]>();
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return (kept.get(from) ?? []).some((next) => reaches(next, to, seen));
  };
  let dropped = 0;
  for (const [from, targets] of edges) {
    const list: string[] = [];
    kept.set(from, list);
    for (const to of targets) {
      if (reaches(to, from)) dropped++;
      else list.push(to);
    }
  }
  if (dropped > 0) notes.push(`${dropped} dependencies would have made steps require each other in a circle: left out`);
  return kept;
}

/** What evidence shows the activity, and what it is: the model's assessment, then its description. */
function helpOf(activity: Raw): string | undefined {
  const parts = [textOf(activity.assessment), textOf(activity.description)].filter((p): p is string => p !== undefined);
  return parts.length === 0 ? undefined : clip(parts.join('\n\n'), 2000);
}

/** DSOMM rates knowledge, time and resources 1–5; their mean gives S (≤ 2), M (≤ 3.5) or L. */
function effortOf(difficulty: unknown): 'S' | 'M' | 'L' {
  const values = isRaw(difficulty) ? Object.values(difficulty).filter((v): v is number => typeof v === 'number') : [];
  if (values.length === 0) return 'M';
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return mean <= 2 ? 'S' : mean <= 3.5 ? 'M' : 'L';
}

/** DSOMM rates usefulness 1–5 (sometimes 1–4): low up to 2, high from 4. */
function impactOf(usefulness: unknown): 'low' | 'medium' | 'high' {
  if (typeof usefulness !== 'number') return 'medium';
  return usefulness <= 2 ? 'low' : usefulness >= 4 ? 'high' : 'medium';
}
