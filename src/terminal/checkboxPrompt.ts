// A checkbox prompt that knows exclusive choices ("None of these"): ticking one unticks every other box, and
// ticking a practice unticks the exclusive one, on screen as it happens. @inquirer/checkbox cannot be told
// this (its only hook, `validate`, runs on Enter), so this is its layout and keys rebuilt on @inquirer/core,
// with the toggling rule a pure function below.

import {
  createPrompt,
  isDownKey,
  isEnterKey,
  isNumberKey,
  isSpaceKey,
  isUpKey,
  makeTheme,
  useKeypress,
  usePagination,
  usePrefix,
  useState,
} from '@inquirer/core';
import type { Theme } from '@inquirer/core';
import { wrap } from '../text.js';

export interface Box<V> {
  readonly value: V;
  readonly label: string;
  readonly checked: boolean;
  /** Stands only on its own: ticking it unticks the others, ticking another unticks it. */
  readonly exclusive?: boolean;
  /** Shown under the list while the box is highlighted (a choice's help, from the rubric). */
  readonly description?: string;
}

/** The boxes after toggling box `index`, and the labels this unticked as a consequence (to say so). */
export function toggleBox<V>(boxes: readonly Box<V>[], index: number): { boxes: Box<V>[]; unticked: string[] } {
  const target = boxes[index];
  if (target === undefined) return { boxes: [...boxes], unticked: [] };
  const checking = !target.checked;
  const unticked: string[] = [];
  const next = boxes.map((box, i) => {
    if (i === index) return { ...box, checked: checking };
    // Only ticking can conflict: an exclusive box clears the rest, any other box clears the exclusive ones.
    if (checking && box.checked && (target.exclusive === true || box.exclusive === true)) {
      unticked.push(box.label);
      return { ...box, checked: false };
    }
    return box;
  });
  return { boxes: next, unticked };
}

/** Ticks every box that is not exclusive, or, when all of those are ticked already, unticks everything. */
export function toggleAll<V>(boxes: readonly Box<V>[]): Box<V>[] {
  const practices = boxes.filter((b) => b.exclusive !== true);
  const tickAll = practices.some((b) => !b.checked);
  return boxes.map((b) => ({ ...b, checked: tickAll && b.exclusive !== true }));
}

export interface CheckboxConfig {
  readonly message: string;
  /** Values are the boxes' places; the caller maps them back to its own values. */
  readonly choices: readonly Box<number>[];
  readonly pageSize?: number;
  /** The terminal's width now (asked at each drawing, so a resized window is followed); 80 when unknown or 0. */
  readonly columns?: () => number | undefined;
}

const ICON = { checked: '◉', unchecked: '◯', cursor: '❯' } as const;
const HIDE_CURSOR = '\x1b[?25l';

export const exclusiveCheckbox = createPrompt<number[], CheckboxConfig>((config, done) => {
  const theme: Theme = makeTheme();
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  const prefix = usePrefix({ status, theme });
  const [boxes, setBoxes] = useState<Box<number>[]>([...config.choices]);
  const [active, setActive] = useState(0);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const toggleAt = (index: number) => {
    const { boxes: next, unticked } = toggleBox(boxes, index);
    setBoxes(next);
    const toggled = next[index];
    setNotice(
      unticked.length === 0 || toggled === undefined
        ? undefined
        : toggled.exclusive === true
          ? `"${toggled.label}" stands on its own: unticked ${unticked.length === 1 ? `"${unticked[0]}"` : `${unticked.length} other choices`}`
          : `Unticked "${unticked.join('", "')}": it stands only on its own`,
    );
  };

  useKeypress((key) => {
    if (isEnterKey(key)) {
      setStatus('done');
      done(boxes.filter((b) => b.checked).map((b) => b.value));
    } else if (isUpKey(key) || isDownKey(key)) {
      // No wrapping around, like the other lists of the questionnaire.
      const next = active + (isUpKey(key) ? -1 : 1);
      if (next >= 0 && next < boxes.length) setActive(next);
    } else if (isSpaceKey(key)) {
      toggleAt(active);
    } else if (isNumberKey(key)) {
      const index = Number(key.name) - 1;
      if (index >= 0 && index < boxes.length) {
        setActive(index);
        toggleAt(index);
      }
    } else if (key.name === 'a') {
      setBoxes(toggleAll(boxes));
      setNotice(undefined);
    }
  });

  const message = theme.style.message(config.message, status);
  if (status === 'done') {
    const answer = boxes
      .filter((b) => b.checked)
      .map((b) => b.label)
      .join(', ');
    return [prefix, message, theme.style.answer(answer)].filter(Boolean).join(' ');
  }
  const width = config.columns?.() || 80;
  const page = usePagination({
    items: boxes,
    active,
    renderItem: ({ item, isActive }) => {
      // A long label wraps at words, its lines after the first under its first word, not back at the left edge.
      const lead = `${isActive ? ICON.cursor : ' '}${item.checked ? ICON.checked : ICON.unchecked} `;
      const lines = wrap(item.label, width, lead);
      return lines.map((line) => (isActive ? theme.style.highlight(line) : line)).join('\n');
    },
    pageSize: config.pageSize ?? 12,
    loop: false,
  });
  const help = theme.style.help('↑↓ move · space tick/untick · a all · ⏎ confirm');
  const description = boxes[active]?.description;
  return [
    [prefix, message].filter(Boolean).join(' '),
    page,
    ' ',
    description === undefined ? '' : theme.style.help(description),
    notice === undefined ? '' : theme.style.help(notice),
    help,
  ]
    .filter(Boolean)
    .join('\n')
    .trimEnd()
    .concat(HIDE_CURSOR);
});
