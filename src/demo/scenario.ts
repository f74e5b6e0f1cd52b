// The fictional history `cnassess demo` seeds: Kestrel Freight's platform, six quarters, four
// respondents (a fifth joins later), a rubric revision in the middle, one aspect that slips, and the
// upgrade to the built-in rubric 2.0.0 in the last quarter.
// Pure data and pure helpers; src/commands/demo.ts plays it into a store with a fake clock.

import YAML from 'yaml';
import { parseRubric } from '../rubric/parse.js';
import type { Question, Rubric } from '../rubric/types.js';

export const DEMO_ORG = 'Kestrel Freight';
export const DEMO_SCOPE = 'platform';
export const DEMO_PERIODS = ['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'] as const;
/** The first period answered against the demo's revision of rubric 1.0.0. */
export const REVISED_FROM = 2;
/** The first period answered against the built-in rubric of today (2.0.0): a major version, new questions. */
export const UPGRADED_FROM = 5;
export const DEMO_SEED = 20250701;

export const PEOPLE = {
  amara: 'Amara Okafor',
  priya: 'Priya Raman',
  jonas: 'Jonas Berg',
  lee: 'Lee Chen',
  sofia: 'Sofia Marin',
} as const;
export type Person = keyof typeof PEOPLE;
/** Who runs each quarter: starts it, sets targets, completes it. */
export const LEAD: Person = 'amara';

/** Who answers each aspect for the organisation. */
export const PRIMARY: Readonly<Record<string, Person>> = {
  'app-definition': 'priya',
  orchestration: 'amara',
  runtime: 'amara',
  provisioning: 'amara',
  observability: 'jonas',
  serverless: 'priya',
};

/**
 * The answer level of each question per period (null: not answered, or not asked). These are the
 * primary respondent's answers; the revised rubric renames obs-incident-reviews, drops
 * orch-api-contracts and adds app-feature-flags. Observability slips in 2026-Q3: the metrics
 * backend was migrated and most dashboards are not rebuilt yet. 2026-Q4 is answered against rubric
 * 2.0.0, whose stricter, observable criteria read some practices a level lower (app-build, for one,
 * now asks for SBOMs and provenance).
 */
export const TRAJECTORY: Readonly<Record<string, readonly (number | 'n/a' | null)[]>> = {
  'app-build': [2, 3, 3, 4, 4, 3],
  'app-deploy': [2, 2, 3, 3, 4, 4],
  'app-rollout': [null, null, null, null, null, 3],
  'app-deploy-frequency': [2, 2, 3, 3, 4, 4],
  'app-feature-flags': [null, null, 2, 3, 3, null],
  'app-definition-config': [2, 3, 3, 3, 4, 4],
  'app-data': [2, 2, 3, 3, 3, null],
  'app-db-provisioning': [null, null, null, null, null, 3],
  'app-db-migrations': [null, null, null, null, null, 3],
  'app-messaging': [2, 2, 2, 3, 3, 3],
  'app-dev-workflow': [2, 2, 3, 3, 4, 3],
  'orch-scheduling': [2, 3, 3, 3, 4, null],
  'orch-workloads': [null, null, null, null, null, 4],
  'orch-clusters': [null, null, null, null, null, 3],
  'orch-workload-config': [2, 3, 3, 4, 4, 3],
  'orch-discovery': [2, 3, 3, 3, 3, 3],
  'orch-ingress': [2, 3, 3, 4, 4, 4],
  'orch-api-contracts': [2, 3, null, null, null, 3],
  'orch-mesh': [null, 2, 2, 3, 3, 3],
  'orch-self-service': [1, 2, 2, 3, 3, 3],
  'rt-containers': [2, 3, 3, 4, 4, 4],
  'rt-hosts': [2, 2, 3, 3, 3, 3],
  'rt-isolation': [2, 2, 3, 3, 3, 3],
  'rt-storage': [2, 3, 3, 3, 3, 3],
  'rt-restore': [null, null, null, null, null, 3],
  'rt-network': [1, 2, 2, 3, 3, 3],
  'rt-failure': [2, 2, 3, 3, 3, 3],
  'prov-iac': [2, 2, 3, 3, 3, null],
  'prov-iac-coverage': [null, null, null, null, null, 3],
  'prov-iac-changes': [null, null, null, null, null, 3],
  'prov-registry': [2, 3, 3, 3, 4, 3],
  'prov-secrets': [2, 2, 3, 3, 4, 4],
  'prov-access': [2, 3, 3, 3, 3, 3],
  'prov-policy': [1, 2, 2, 3, 4, 4],
  'prov-vulns': [2, 2, 3, 3, 3, 3],
  'prov-rebuild': [1, 1, 1, 4, 4, 3],
  'obs-metrics': [2, 3, 3, 3, 2, 3],
  'obs-logging': [2, 3, 3, 4, 3, 3],
  'obs-tracing': [1, 2, 3, 3, 2, 3],
  'obs-alerting': [2, 2, 3, 3, 3, 3],
  'obs-incident-reviews': [1, 4, null, null, null, 3],
  'obs-postmortems': [null, null, 4, 4, 4, null],
  'obs-chaos': [null, 2, 2, 3, null, 2],
  'obs-cost': [1, 2, 2, 3, 3, 3],
  'sls-usage': [1, 2, 2, 3, 3, 3],
  'sls-deploy': [null, 2, 3, 3, 3, 3],
  'sls-events': [null, 2, 2, 3, 3, 3],
  'sls-scaling': ['n/a', 2, 3, 3, 4, null],
  'sls-concurrency': [null, null, null, null, null, 3],
  'sls-observability': [null, 1, 2, 3, 3, 3],
  'sls-security': [null, 2, 2, 3, 3, 3],
};

/** Second opinions: the level a respondent gives relative to the primary answer, per period (null: no answer). */
export const SECOND_OPINIONS: readonly {
  readonly person: Person;
  readonly question: string;
  readonly delta: readonly (number | null)[];
  readonly note?: string;
}[] = [
  {
    person: 'lee',
    question: 'prov-secrets',
    delta: [-1, -1, 0, 0, 0, 0],
    note: 'Two legacy services still read database passwords from env files (SEC-88)',
  },
  { person: 'lee', question: 'prov-access', delta: [0, 0, 0, 0, 0, 0] },
  {
    person: 'lee',
    question: 'prov-policy',
    delta: [0, 0, 0, -1, 0, 0],
    note: 'Kyverno still runs in audit mode on prod-eu-2; only prod-eu-1 enforces',
  },
  { person: 'lee', question: 'prov-vulns', delta: [null, 0, 0, 0, 0, 0] },
  {
    person: 'lee',
    question: 'prov-iac-changes',
    delta: [null, null, null, null, null, -1],
    note: 'Two of the last 20 changes were console edits during the October incident, never back-ported (SEC-151)',
  },
  {
    person: 'priya',
    question: 'prov-iac-changes',
    delta: [null, null, null, null, null, 0],
    note: 'The October console edits were reverted by the next Atlantis apply, so they are not in production any more',
  },
  {
    person: 'lee',
    question: 'rt-network',
    delta: [0, -1, -1, 0, 0, -1],
    note: 'Default-allow between namespaces until the policy rollout finishes (SEC-102)',
  },
  { person: 'lee', question: 'rt-isolation', delta: [null, 0, 0, 0, 0, 0] },
  {
    person: 'jonas',
    question: 'rt-failure',
    delta: [0, 0, 1, 0, 0, 0],
    note: 'The March drill failed a whole zone over without paging anyone',
  },
  { person: 'jonas', question: 'rt-storage', delta: [0, 0, 0, 0, 0, 0] },
  {
    person: 'amara',
    question: 'obs-alerting',
    delta: [0, 0, -1, 0, 0, 0],
    note: 'Half the pages last month were disk thresholds nobody acted on',
  },
  { person: 'amara', question: 'obs-cost', delta: [null, 0, 0, -1, 0, 0], note: 'Kubecost covers the clusters but not RDS or MSK yet' },
  {
    person: 'priya',
    question: 'orch-self-service',
    delta: [0, -1, -1, 0, 0, 0],
    note: 'Product teams still file a ticket for a namespace; the portal form only exists for platform',
  },
  {
    person: 'sofia',
    question: 'app-deploy-frequency',
    delta: [null, null, null, 1, 1, 1],
    note: 'Checkout and pricing deploy several times a day',
  },
  { person: 'sofia', question: 'app-dev-workflow', delta: [null, null, null, 0, 0, 0] },
  {
    person: 'sofia',
    question: 'app-feature-flags',
    delta: [null, null, null, 1, 0, null],
    note: 'Pricing rolls out every feature to 5% of shippers first',
  },
];

/**
 * Disagreements the lead settles with the respondents before completing a quarter: the agreed level of a question,
 * and why. Other disagreements of that quarter stay open, so the report shows both.
 */
export const CONSENSUS: readonly {
  readonly period: number;
  readonly question: string;
  readonly level: number;
  readonly rationale: string;
}[] = [
  {
    period: 5,
    question: 'rt-network',
    level: 3,
    rationale:
      'Checked together in the Q4 review: prod-eu-1 and prod-eu-2 enforce NetworkPolicies since SEC-102 closed in November; the default-allow Lee saw is the sandbox namespace, which is not production.',
  },
];

/**
 * The roadmap, tracked: step statuses the lead records in each quarter (only the changes: statuses carry over).
 * In 2026-Q4 a step is marked done that the answers do not bear out, so the report and `diff` flag it.
 */
export const STEP_UPDATES: readonly {
  readonly period: number;
  readonly step: string;
  readonly status: 'planned' | 'in-progress' | 'done' | 'wont-do';
  readonly owner?: Person;
  readonly due?: string;
  readonly note?: string;
}[] = [
  { period: 1, step: 'app-cd-pipeline', status: 'in-progress', owner: 'priya', due: '2026-03-31' },
  { period: 1, step: 'prov-policy-as-code', status: 'planned', owner: 'lee', due: '2026-06-30' },
  { period: 2, step: 'app-cd-pipeline', status: 'done', note: 'Every service deploys through the release pipeline (APP-240)' },
  { period: 2, step: 'app-adopt-gitops', status: 'planned', owner: 'priya', due: '2026-09-30' },
  { period: 2, step: 'prov-policy-as-code', status: 'in-progress' },
  { period: 3, step: 'prov-policy-as-code', status: 'done', note: 'Kyverno enforces on both production clusters' },
  { period: 3, step: 'app-adopt-gitops', status: 'in-progress' },
  { period: 3, step: 'obs-define-slos', status: 'planned', owner: 'jonas', due: '2026-12-31' },
  { period: 4, step: 'app-adopt-gitops', status: 'done', note: 'Argo CD reconciles production since June' },
  { period: 4, step: 'obs-define-slos', status: 'in-progress' },
  {
    period: 4,
    step: 'rt-survive-zone-loss',
    status: 'wont-do',
    note: 'One region with three zones is enough for freight tracking; accepted by the CTO in the Q3 review',
  },
  {
    period: 5,
    step: 'app-sign-and-attest-builds',
    status: 'done',
    owner: 'priya',
    note: 'Images are signed with cosign in CI',
  },
];

/**
 * The organisation's other scopes, for the organisation view (`report --org`): assessed in the last two quarters only,
 * each by one respondent, a level or so apart from the platform team's answers; the data team has not finished
 * 2026-Q4. Seeded with ids of their own, so the platform's history stays the same event for event.
 */
export const OTHER_SCOPES: readonly {
  readonly scope: string;
  readonly respondent: Person;
  /** Added to the platform's answer level of each question (then every fifth question one lower). */
  readonly offset: number;
  readonly from: number;
  readonly unfinishedAt?: number;
}[] = [
  { scope: 'payments', respondent: 'sofia', offset: 1, from: 4 },
  { scope: 'tracking', respondent: 'jonas', offset: 0, from: 4 },
  { scope: 'data', respondent: 'lee', offset: -1, from: 4, unfinishedAt: 5 },
];
export const OTHER_SCOPES_SEED = 20260701;

/** Targets per period (only the changes: targets carry over with the answers). */
export const TARGETS: readonly (Readonly<Record<string, number>> | null)[] = [
  { 'app-definition': 3, orchestration: 3, runtime: 3, provisioning: 3, observability: 3, serverless: 2 },
  null,
  { 'app-definition': 4, orchestration: 4, observability: 4 },
  null,
  null,
  { runtime: 4, provisioning: 4 },
];

/** What a reviewer can check, per question: the note most answers carry. */
export const EVIDENCE: Readonly<Record<string, string>> = {
  'app-build': 'build.yml in each service repo; main-branch runs in GitHub Actions',
  'app-deploy': 'Deploy history of booking-api and tracking-api',
  'app-rollout': 'Argo Rollouts analysis templates for booking and tracking',
  'app-deploy-frequency': 'Median of 23 services, from release tags over the last 90 days',
  'app-feature-flags': 'Flag definitions in platform/flags',
  'app-definition-config': 'Helm charts in each repo; per-environment values in deploy/',
  'app-data': 'Postgres on RDS for booking and pricing; Flyway migrations',
  'app-db-provisioning': 'RDS instances in platform/infra/databases',
  'app-db-migrations': 'Flyway runs of the last ten releases, in the pipeline logs',
  'app-messaging': 'Shipment events on MSK; topics declared in infra/msk',
  'app-dev-workflow': 'The service-template repo and the developer portal',
  'orch-scheduling': 'EKS clusters prod-eu-1 and prod-eu-2; cluster code in platform/clusters',
  'orch-workloads': 'Service inventory: all 23 production services run on EKS',
  'orch-clusters': 'Cluster definitions in platform/clusters; the 1.30 upgrade record',
  'orch-workload-config': 'Manifests of the 23 production services, checked by kube-score',
  'orch-discovery': 'Cluster DNS; dispatch still reads a hosts file',
  'orch-ingress': 'Ingress and gateway config in platform/ingress',
  'orch-api-contracts': 'OpenAPI specs under api/ in each repo',
  'orch-mesh': 'Linkerd on prod-eu-1',
  'orch-self-service': 'Namespace and database requests on the PLAT board',
  'rt-containers': 'Service inventory: share of production services in containers',
  'rt-hosts': 'Node images built by the Packer pipeline',
  'rt-isolation': 'Pod Security admission labels; Falco rules',
  'rt-storage': 'EBS CSI storage classes; Velero restore tests',
  'rt-restore': 'The Velero restore test of September',
  'rt-network': 'NetworkPolicies per namespace',
  'rt-failure': 'Report of the last failover drill',
  'prov-iac': 'Terraform in platform/infra, planned and applied by Atlantis',
  'prov-iac-coverage': 'Terraform state against the AWS account inventory',
  'prov-iac-changes': 'The last 20 infrastructure changes: Atlantis runs and two console edits',
  'prov-registry': 'ECR with an admission policy on image sources',
  'prov-secrets': 'Vault paths per service; rotation job logs',
  'prov-access': 'AWS SSO groups; break-glass runbook',
  'prov-policy': 'Kyverno policies in platform/policy; Checkov in CI',
  'prov-vulns': 'Trivy dashboard and patch deadline tracking',
  'prov-rebuild': 'The last rebuild of staging from code',
  'obs-metrics': 'Service dashboards in Grafana',
  'obs-logging': 'Loki, with request ids propagated by the HTTP middleware',
  'obs-tracing': 'Traces of a booking request, end to end',
  'obs-alerting': 'PagerDuty rules and last month’s pages',
  'obs-incident-reviews': 'Incident reviews in the INC space',
  'obs-postmortems': 'Postmortems in the INC space; open actions on the INC board',
  'obs-chaos': 'Game day reports',
  'obs-cost': 'Cost reports by team tag; Kubecost',
  'sls-usage': 'Lambda inventory of the production accounts',
  'sls-deploy': 'SAM templates in the functions repo',
  'sls-events': 'EventBridge rules and dead-letter queues',
  'sls-scaling': 'KEDA ScaledObjects; Lambda concurrency settings',
  'sls-concurrency': 'Reserved concurrency in the SAM templates',
  'sls-observability': 'The Lambda dashboards',
  'sls-security': 'Function IAM roles; Checkov results',
};

/** What changed, where the story needs more than "up from last quarter". Keyed `question@period index`. */
export const STORY: Readonly<Record<string, string>> = {
  'app-build@1': 'Every merge now publishes a commit-tagged image; tests block merges since APP-214',
  'app-deploy@2': 'All services deploy through the release pipeline with a production approval step',
  'app-deploy@4': 'Argo CD reconciles production from the gitops repo since June; hand deploys are disabled',
  'app-feature-flags@2': 'Unleash runs in production for booking; other teams switch features by config',
  'orch-scheduling@1': 'Booking, tracking and pricing moved to EKS; dispatch is still on VMs',
  'orch-scheduling@4': 'Dispatch moved in July; the 1.30 upgrade of both clusters ran without downtime',
  'orch-mesh@1': 'mTLS through a shared client library; a mesh is being evaluated',
  'rt-containers@3': 'The last VM-based service (dispatch) is containerised',
  'prov-rebuild@3': 'Staging was rebuilt from code in three hours during the May DR test',
  'prov-policy@3': 'Kyverno enforces image sources and blocks privileged pods',
  'obs-incident-reviews@1': 'Blameless reviews for every Sev1 and Sev2 since August; actions on the INC board',
  'obs-metrics@4': 'Moved from the hosted vendor to self-run Mimir in May; only 9 of 23 services re-instrumented so far (OBS-311)',
  'obs-logging@4': 'Log retention cut to 7 days during the migration; links from traces are broken',
  'obs-tracing@4': 'The vendor agent went with the vendor; OpenTelemetry covers booking and tracking only',
  'sls-usage@1': 'Label printing and webhook fan-out run on Lambda, deployed by hand',
  'sls-scaling@0': 'No bursty workloads in production yet; the nightly batch runs on fixed VMs',
  'sls-usage@3': 'Three product features run on Lambda, deployed by pipeline and owned by teams',
  'obs-metrics@5': 'Re-instrumentation finished in October (OBS-311): all 23 services report the golden signals again',
  'app-build@5': 'Rubric 2.0.0 asks for an SBOM and build provenance; we produce neither yet (APP-301)',
  'obs-chaos@5': 'The only drill on record is the 2025 game day; the May DR test was cancelled',
};

/**
 * The demo's revision of the built-in rubric (one minor version up): obs-incident-reviews is
 * renamed obs-postmortems (with `replaces`), orch-api-contracts is dropped, app-feature-flags is
 * added, and prov-policy weighs more. Built from the built-in rubric so it stays in step with it,
 * and parsed like a file so it is checked like one.
 */
export function demoRubricRevision(base: Rubric): Rubric {
  const [major, minor] = base.version.split('.').map(Number);
  const revised = {
    ...base,
    version: `${major}.${(minor ?? 0) + 1}.0`,
    description: `A demo revision of the built-in rubric ${base.version}, made up for \`cnassess demo\`. ${base.description ?? ''}`.trim(),
    aspects: base.aspects.map((aspect) => ({
      ...aspect,
      questions: aspect.questions.flatMap((q): Question[] => {
        if (q.id === 'orch-api-contracts') return [];
        if (q.id === 'obs-incident-reviews') {
          return [
            {
              ...q,
              id: 'obs-postmortems',
              replaces: q.id,
              text: 'Does every customer-impacting incident get a blameless postmortem, with its actions tracked to completion?',
            },
          ];
        }
        if (q.id === 'prov-policy') return [{ ...q, weight: 3 }];
        if (q.id === 'app-deploy-frequency') return [q, FEATURE_FLAGS];
        return [q];
      }),
    })),
  };
  const parsed = parseRubric(`demo rubric ${revised.version}`, new TextEncoder().encode(YAML.stringify(revised)), { builtIn: false });
  if (!parsed.rubric) throw new Error(`the demo rubric revision is invalid: ${parsed.problems.map((p) => p.message).join('; ')}`);
  return parsed.rubric;
}

const FEATURE_FLAGS: Question = {
  id: 'app-feature-flags',
  text: 'How are new features released to customers, independently of deploys?',
  help: 'Evidence: the feature-flag service or configuration, and how the last three features were switched on.',
  type: 'single',
  weight: 1,
  gate: false,
  notApplicable: false,
  choices: [
    { id: 'coupled', label: 'A feature goes live when its code is deployed', level: 1 },
    { id: 'config', label: 'Per-environment switches, changed with a deploy or restart', level: 2 },
    { id: 'flags', label: 'A feature-flag service turns features on and off at runtime', level: 3 },
    { id: 'targeted', label: 'Features roll out to a share of users or cohorts, with kill switches', level: 4 },
    { id: 'experiments', label: 'Releases run as measured experiments; stale flags are removed automatically', level: 5 },
  ],
};

/**
 * The choice(s) that express an answer level. A multi-choice question ticks every practice up to it (what a ladder
 * needs, and what the highest-box rule reads the same); below its first practice, its "none of these" choice.
 */
export function choicesAt(question: Question, level: number): string[] {
  const atOrBelow = question.choices.filter((c) => c.level <= level);
  const best = atOrBelow.reduce((a, b) => (b.level > a.level ? b : a), question.choices[0]!);
  if (question.type !== 'multi') return [best.id];
  const lowest = Math.min(...question.choices.map((c) => c.level));
  const none = question.choices.find((c) => c.exclusive === true) ?? question.choices.find((c) => c.level === lowest)!;
  const practices = question.choices
    .filter((c) => c !== none && c.exclusive !== true && c.level > lowest && c.level <= level)
    .map((c) => c.id);
  return practices.length > 0 ? practices : [none.id];
}

/** A small seeded generator (mulberry32): the same seed gives the same demo, byte for byte. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
