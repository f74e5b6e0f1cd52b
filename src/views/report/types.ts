// The report's view model, as types: plain JSON that `--format json` prints and the templates read. `schemaVersion`
// changes only when a field is removed or changes meaning. Documented field by field in the README (The report).

import type { HeadingNouns } from '../../rubric/levels.js';
import type { StepStatusValue } from '../../assessment/events.js';
import type { PhaseId } from '../../assessment/roadmap.js';
import type { AssessmentState } from '../../assessment/state.js';
import type { Effort, Impact, Rubric } from '../../rubric/types.js';
import type { TextSegment } from '../escape.js';

export const SCHEMA_VERSION = 1;

/** One assessment with the rubric it was answered against. */
export interface Assessed {
  readonly state: AssessmentState;
  readonly rubric: Rubric;
}

export interface ReportInput extends Assessed {
  /** The latest assessment of the same org and scope in an earlier period, if any. */
  readonly previous?: Assessed;
  /** Every assessment of the same org and scope up to and including this one, in any order. */
  readonly history: readonly Assessed[];
  /** ISO timestamp, from the injected clock. */
  readonly generatedAt: string;
  /** The `--as-of` bound the log was read with, as the user wrote it. */
  readonly asOf?: string;
}

export interface ReportModel {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly generatedOn: string;
  readonly title: string;
  readonly subtitle: string;
  /** What the rubric calls an aspect (a pillar, a category…), as headings and tables say it. */
  readonly nouns: HeadingNouns;
  readonly assessment: {
    readonly id: string;
    readonly org: string;
    readonly scope: string;
    readonly period: string;
    readonly status: 'open' | 'completed';
    readonly statusText: string;
    readonly startedOn: string;
    readonly updatedOn: string;
    readonly asOf: string | null;
    readonly lastSeq: number;
    readonly respondents: readonly string[];
  };
  readonly rubric: {
    readonly id: string;
    readonly version: string;
    readonly digest: string;
    readonly title: string;
    readonly levels: readonly { readonly level: number; readonly name: string; readonly summary: string }[];
  };
  readonly progress: {
    readonly answered: number;
    readonly applicable: number;
    readonly percent: number;
    readonly complete: boolean;
    readonly carried: number;
    readonly text: string;
  };
  readonly overall: LevelFields & { readonly score: number | null; readonly scoreText: string };
  /** Who answered and how far each has come; `invited` distinguishes those expected from those who just answered. */
  readonly respondents: {
    readonly show: boolean;
    /**
     * More respondents than a printed page can list answer by answer (more than 8): the HTML then shows each
     * question's answers as a distribution and a few notes, and leaves the individual answers to the Markdown and
     * JSON, where `appendix.aspects` and `disagreements[].answers` keep every one.
     */
    readonly many: boolean;
    readonly text: string;
    readonly rows: readonly {
      readonly respondent: string;
      readonly invited: boolean;
      readonly invitedText: string;
      readonly answeredText: string;
      readonly carriedText: string;
      readonly lastText: string;
      readonly done: boolean;
    }[];
  };
  readonly summary: {
    readonly headline: string;
    readonly paragraphs: readonly string[];
    readonly nextStepsIntro: string;
    readonly nextSteps: readonly StepRef[];
  };
  readonly radar: {
    /** What the chart shows, in words, under it: a radar, or level bars for a rubric of many aspects. */
    readonly caption: string;
    readonly svg: string;
    readonly title: string;
    readonly description: string;
    readonly hasPrevious: boolean;
    readonly previousPeriod: string | null;
    readonly rows: readonly RadarRow[];
  };
  readonly aspects: readonly AspectSection[];
  readonly roadmap: {
    readonly stepCount: number;
    readonly empty: boolean;
    readonly emptyText: string;
    readonly phases: readonly RoadmapPhase[];
    readonly notPlanned: string | null;
    /** Questions to answer before the roadmap can say whether some steps are needed. */
    readonly findOut: readonly {
      readonly questionId: string;
      readonly question: string;
      readonly aspectTitle: string;
      readonly stepsText: string;
    }[];
    readonly findOutText: string | null;
    /** Answers below their aspect's target that no recommendation of the rubric raises up to it. */
    readonly uncovered: readonly {
      readonly questionId: string;
      readonly question: string;
      readonly aspectTitle: string;
      readonly levelText: string;
    }[];
    readonly uncoveredText: string | null;
    readonly rule: readonly string[];
    /** "Of 9 steps: 4 done, 2 in progress, 1 planned, 2 not started; 2 overdue."; null when no step has a status. */
    readonly trackingText: string | null;
    /** Steps with a status that this roadmap no longer holds (done, and the answers agree; or given up). */
    readonly trackedElsewhere: readonly ({ readonly id: string; readonly title: string; readonly aspectTitle: string } & StepTracking)[];
  };
  readonly trend: {
    readonly show: boolean;
    readonly svg: string | null;
    readonly title: string;
    readonly description: string;
    readonly columns: readonly string[];
    readonly rows: readonly TrendRow[];
  };
  readonly appendix: {
    readonly answerCount: number;
    /** Every response, grouped by aspect in rubric order; aspects without answers are left out. */
    readonly aspects: readonly { readonly title: string; readonly answers: readonly AppendixAnswer[] }[];
    /**
     * With many respondents: one row per answered question (the answer that counts, how many answered at each
     * level, how many notes), which the HTML shows instead of every answer; empty otherwise.
     */
    readonly byQuestion: readonly {
      readonly aspect: string;
      readonly questionId: string;
      readonly question: string;
      readonly answerText: string;
      readonly distributionText: string;
      readonly notes: number;
    }[];
    /** Where the individual answers are when the HTML leaves them out; null when it lists them. */
    readonly exportsText: string | null;
    readonly method: readonly string[];
    /** How the rubric says to answer (scope, between two choices, unknown and n/a, evidence); empty if it says not. */
    readonly howToAnswer: readonly { readonly title: string; readonly text: string }[];
    /** Words with one meaning in every question (the coverage words). */
    readonly terms: readonly { readonly term: string; readonly meaning: string }[];
  };
}

export interface LevelFields {
  readonly level: number | null;
  readonly levelName: string | null;
  readonly levelSummary: string | null;
  /** "3 · Scale", or a phrase when there is no level. */
  readonly levelText: string;
}

export interface StepRef {
  readonly number: number;
  readonly anchor: string;
  readonly title: string;
  readonly aspectTitle: string;
  readonly effortText: string;
  readonly impactText: string;
  readonly why: string;
}

export interface RadarRow {
  readonly anchor: string;
  readonly title: string;
  readonly currentText: string;
  readonly targetText: string;
  readonly previousText: string;
  readonly changeText: string;
  readonly scoreText: string;
}

export interface AnswerRef {
  readonly questionId: string;
  readonly question: string;
  readonly answer: string;
  readonly levelText: string;
  readonly gate: boolean;
  /** For a multi question scored as a ladder: the practices whose absence caps the answer, in words. */
  readonly missingText: string | null;
  /** The roadmap steps that raise this answer. */
  readonly steps: readonly { readonly number: number; readonly anchor: string }[];
  /** Why no step raises it, when none does. */
  readonly noStepText: string | null;
}

export interface AspectSection extends LevelFields {
  readonly id: string;
  readonly anchor: string;
  readonly number: number;
  readonly title: string;
  /** The group (a DSOMM dimension) this aspect is the first of, shown above it; null when it continues one or has none. */
  readonly groupStart: string | null;
  readonly summary: string;
  readonly score: number | null;
  readonly scoreText: string;
  readonly answered: number;
  readonly applicable: number;
  readonly notApplicable: number;
  readonly coveragePercent: number;
  readonly coverageText: string;
  readonly targetText: string;
  readonly changeText: string | null;
  readonly cappedByText: string | null;
  readonly nextLevelText: string | null;
  readonly holdingBack: readonly AnswerRef[];
  readonly evidence: readonly {
    readonly questionId: string;
    readonly question: string;
    readonly respondent: string;
    readonly on: string;
    readonly segments: readonly TextSegment[];
  }[];
  /** With many respondents, at most three notes per question are in `evidence`; this says how many more and where. */
  readonly evidenceMoreText: string | null;
  /** Questions respondents answered differently and nobody has settled, with the spread of their answers. */
  readonly disagreements: readonly Disagreement[];
  /** True when settling an open disagreement could move this aspect's level: the level is provisional. */
  readonly provisional: boolean;
  readonly provisionalText: string | null;
  /** Answers agreed by consensus that decide questions of this aspect, with why. */
  readonly consensus: readonly {
    readonly questionId: string;
    readonly question: string;
    readonly answer: string;
    readonly levelText: string;
    readonly rationale: string;
    readonly facilitator: string;
    readonly on: string;
    readonly settledText: string;
  }[];
  readonly unanswered: readonly { readonly questionId: string; readonly question: string }[];
  readonly steps: readonly { readonly number: number; readonly anchor: string; readonly title: string; readonly phaseName: string }[];
}

export interface Disagreement {
  readonly questionId: string;
  readonly question: string;
  readonly spread: number;
  /** "answers 2 levels apart", "some say not applicable". */
  readonly spreadText: string;
  /** Settling it could change the aspect's level. */
  readonly consequential: boolean;
  /** How settling at each answer given would leave the aspect's level. */
  readonly impactText: string;
  /** An earlier consensus that a later answer undid. */
  readonly lapsedText: string | null;
  /** Respondents per answer level, highest first: the shape of the disagreement however many answered. */
  readonly distribution: readonly { readonly levelText: string; readonly count: number; readonly percent: number }[];
  readonly distributionText: string;
  /** What the question counts as while it is unsettled: the median answer's level, or not applicable. */
  readonly countsAsText: string;
  /** Each respondent's answer; the HTML folds them away, the Markdown and JSON list them. */
  readonly answers: readonly { readonly respondent: string; readonly answer: string; readonly levelText: string }[];
}

export interface RoadmapStep extends StepRef {
  readonly id: string;
  readonly aspectId: string;
  readonly level: number;
  readonly levelText: string;
  readonly effort: Effort;
  readonly impact: Impact;
  readonly reason: string;
  /** The answers that make this step needed, in words ("app-deploy is “pipeline”, level 3"). */
  readonly addresses: readonly { readonly questionId: string; readonly text: string }[];
  readonly addressesText: string;
  readonly requires: readonly { readonly number: number; readonly anchor: string; readonly title: string }[];
  /** What it must come after that the answers show is in place already. */
  readonly requiresMetText: string | null;
  readonly links: readonly { readonly title: string; readonly href: string }[];
  /** Where the work stands (`cnassess step`): planned, in-progress, done, wont-do; null when nobody said. */
  readonly status: StepStatusValue | null;
  readonly tracking: StepTracking;
}

/** A step's status in words, as the roadmap and the list of tracked steps show it. */
export interface StepTracking {
  /** "Not started", "Planned", "In progress", "Done", "Won't do". */
  readonly statusText: string;
  readonly owner: string | null;
  readonly due: string | null;
  /** "due 2027-03-31", with "overdue" when it is. */
  readonly dueText: string | null;
  readonly overdue: boolean;
  readonly note: string | null;
  /** "Marked done on 2026-11-20 by alice, but the answers still call for it: …"; null when they agree. */
  readonly disagreementText: string | null;
}

export interface RoadmapPhase {
  readonly id: PhaseId;
  readonly name: string;
  readonly description: string;
  readonly empty: boolean;
  readonly steps: readonly RoadmapStep[];
}

export interface TrendRow {
  readonly period: string;
  readonly current: boolean;
  readonly statusText: string;
  /** Overall first, then one per aspect of this report's rubric. */
  readonly cells: readonly { readonly levelText: string; readonly scoreText: string }[];
}

export interface AppendixAnswer {
  readonly questionId: string;
  readonly question: string;
  readonly respondent: string;
  readonly answer: string;
  readonly levelText: string;
  readonly at: string;
  readonly carried: boolean;
  readonly note: readonly TextSegment[] | null;
}
