// The rubric as the rest of cnassess sees it: plain readonly data, already validated.

export type QuestionType = 'single' | 'multi' | 'scale' | 'yes-no';
export type Effort = 'S' | 'M' | 'L';
export type Impact = 'low' | 'medium' | 'high';
/**
 * How a multi-choice answer's level is computed. `highest`: the highest level among the ticked practices (the rule
 * before rubric field `multiChoice` existed, and still the default). `ladder`: the highest level L for which every
 * practice at L and below is ticked, so a gap in the basics caps the answer.
 */
export type MultiChoiceRule = 'highest' | 'ladder' | 'rules';
export const DEFAULT_MULTI_CHOICE: MultiChoiceRule = 'highest';

/**
 * How an aspect's level comes from its answers. `majority` (the default): the weighted lower median, capped by gates.
 * `worst`: the lowest answer. `mean`: the weighted mean of the answers' levels (as the CNCF PEMM scores a category),
 * rounded down to a level for the level itself. `cumulative`: the highest level L at which every question whose
 * top level is L or below is met — answered at its top level (as OWASP DSOMM levels a sub-dimension).
 */
export type AspectRule = 'majority' | 'worst' | 'mean' | 'cumulative';
export const DEFAULT_ASPECT_RULE: AspectRule = 'majority';

/** A condition over the chosen choices of one question: a choice id, or all / any / none of some conditions. */
export type ChoiceCondition =
  | string
  | { readonly all: readonly ChoiceCondition[] }
  | { readonly any: readonly ChoiceCondition[] }
  | { readonly none: readonly ChoiceCondition[] };

/**
 * One of a question's ordered answer rules: the first whose condition holds gives the answer's level; `default`
 * holds always (the last rule). Enough to express an AWS Well-Architected lens's risk rules exactly.
 */
export type AnswerRule =
  { readonly when: Exclude<ChoiceCondition, string>; readonly level: number } | { readonly default: true; readonly level: number };

/** What a rubric calls its aspects, e.g. pillar / pillars (AWS), category (PEMM), dimension (DSOMM). */
export interface Nouns {
  readonly aspect: string;
  readonly aspects: string;
}

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
  /** What the choice means in practice, shown with it. */
  readonly help?: string;
  readonly links?: readonly Link[];
  /** The choice's id in the model the rubric was imported from (an AWS choice id, a DSOMM activity uuid). */
  readonly sourceId?: string;
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
  /** The answer rules of a multi question scored by `rules`, in order. */
  readonly rules?: readonly AnswerRule[];
  /** The question's id in the model the rubric was imported from. */
  readonly sourceId?: string;
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
  /** Overrides the rubric's aspect rule for this aspect. */
  readonly rule?: AspectRule;
  /** A heading the aspect is shown under, with the others of the same group (DSOMM's dimensions). */
  readonly group?: string;
  /** The aspect's id in the model the rubric was imported from. */
  readonly sourceId?: string;
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
  /** How an aspect's level comes from its answers; default `majority`. */
  readonly aspectRule?: AspectRule;
  /** What the rubric calls an aspect; default aspect / aspects. */
  readonly nouns?: Nouns;
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
