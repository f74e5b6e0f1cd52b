// The rubric as the rest of cnassess sees it: plain readonly data, already validated.

export type QuestionType = 'single' | 'multi' | 'scale' | 'yes-no';
export type Effort = 'S' | 'M' | 'L';
export type Impact = 'low' | 'medium' | 'high';

export interface Level {
  readonly level: number;
  readonly name: string;
  readonly summary: string;
}

export interface Choice {
  readonly id: string;
  readonly label: string;
  readonly level: number;
}

/** Ask a question only when an earlier answer is at least a level, or is one of some choices. */
export type Condition =
  | { readonly question: string; readonly atLeast: number }
  | { readonly question: string; readonly anyOf: readonly string[] };

export interface Question {
  readonly id: string;
  readonly text: string;
  readonly help?: string;
  readonly type: QuestionType;
  /** Relative weight within its aspect; default 1. */
  readonly weight: number;
  /** A gate caps its aspect's level at this question's answered level. */
  readonly gate: boolean;
  /** Whether "not applicable" is an allowed answer. */
  readonly notApplicable: boolean;
  readonly when?: Condition;
  /** The id this question had in an earlier version of the rubric (for comparing quarters). */
  readonly replaces?: string;
  readonly choices: readonly Choice[];
}

export interface Link {
  readonly title: string;
  readonly url: string;
}

export interface Recommendation {
  readonly id: string;
  readonly title: string;
  readonly why: string;
  /** The level this recommendation leads its aspect to. */
  readonly level: number;
  readonly effort: Effort;
  readonly impact: Impact;
  readonly requires: readonly string[];
  readonly links: readonly Link[];
}

export interface Aspect {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly weight: number;
  readonly questions: readonly Question[];
  readonly recommendations: readonly Recommendation[];
}

export interface Rubric {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly description?: string;
  readonly levels: readonly Level[];
  readonly aspects: readonly Aspect[];
}

/** What an assessment records about the rubric it was answered against. */
export interface RubricRef {
  readonly id: string;
  readonly version: string;
  /** SHA-256 of the rubric's canonical JSON, so an edited file with an unchanged version is noticed. */
  readonly digest: string;
}

/** The answer token for "not applicable". */
export const NOT_APPLICABLE = 'n/a';
