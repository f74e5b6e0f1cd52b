// The rubric as the rest of cnassess sees it: plain readonly data, already validated.

export type QuestionType = 'single' | 'multi' | 'scale' | 'yes-no';
export type Effort = 'S' | 'M' | 'L';
export type Impact = 'low' | 'medium' | 'high';
/**
 * How a multi-choice answer's level is computed. `highest`: the highest level among the ticked practices (the rule
 * before rubric field `multiChoice` existed, and still the default). `ladder`: the highest level L for which every
 * practice at L and below is ticked, so a gap in the basics caps the answer.
 */
export type MultiChoiceRule = 'highest' | 'ladder';

export interface Level {
  readonly level: number;
  readonly name: string;
  readonly summary: string;
}

export interface Choice {
  readonly id: string;
  readonly label: string;
  readonly level: number;
  /** A multi question's "none of these": never ticked together with another choice. */
  readonly exclusive?: boolean;
}

/** Ask a question only when an earlier answer is at least a level, or is one of some choices. */
export type Condition =
  { readonly question: string; readonly atLeast: number } | { readonly question: string; readonly anyOf: readonly string[] };

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
  /** For a multi question, overrides the rubric's rule. */
  readonly multiChoice?: MultiChoiceRule;
  readonly choices: readonly Choice[];
}

export interface Link {
  readonly title: string;
  readonly url: string;
}

/** What a recommendation raises: a question (to the step's level), or one practice of a multi question. */
export interface Raise {
  readonly question: string;
  /** Present when the step is the practice this choice names: met when the choice is ticked. */
  readonly choice?: string;
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
  /**
   * The answers this step raises. Absent only in rubrics written before the field existed (stored in old logs, or a
   * custom file that does not say): the roadmap then takes it to raise every question of its aspect.
   */
  readonly raises?: readonly Raise[];
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

/** How to answer, stated once for the whole rubric. */
export interface HowToAnswer {
  readonly scope?: string;
  readonly between?: string;
  readonly unknown?: string;
  readonly evidence?: string;
  readonly terms?: readonly { readonly term: string; readonly meaning: string }[];
}

export interface Rubric {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly description?: string;
  readonly howToAnswer?: HowToAnswer;
  /** Default `highest`. */
  readonly multiChoice?: MultiChoiceRule;
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
