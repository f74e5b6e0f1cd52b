// The checkbox's rule for exclusive choices ("None of these"), which assess applies live as boxes are ticked.
import { describe, expect, it } from 'vitest';
import { toggleAll, toggleBox, type Box } from '../../src/terminal/checkboxPrompt.js';

const boxes = (ticked: string, exclusive = 'none'): Box<string>[] =>
  ['none', 'build', 'tests', 'sign'].map((id) => ({
    value: id,
    label: id,
    checked: ticked.split(',').includes(id),
    exclusive: id === exclusive,
  }));
const ticked = (bs: readonly Box<string>[]) => bs.filter((b) => b.checked).map((b) => b.value);

describe('toggling a box', () => {
  it('ticking the exclusive choice unticks every other box, and says which', () => {
    const r = toggleBox(boxes('build,sign'), 0);
    expect(ticked(r.boxes)).toEqual(['none']);
    expect(r.unticked).toEqual(['build', 'sign']);
  });

  it('ticking a practice unticks the exclusive choice', () => {
    const r = toggleBox(boxes('none'), 2);
    expect(ticked(r.boxes)).toEqual(['tests']);
    expect(r.unticked).toEqual(['none']);
  });

  it('practices combine freely, and unticking never unticks anything else', () => {
    expect(ticked(toggleBox(boxes('build'), 3).boxes)).toEqual(['build', 'sign']);
    const off = toggleBox(boxes('build,tests'), 1);
    expect(ticked(off.boxes)).toEqual(['tests']);
    expect(off.unticked).toEqual([]);
    expect(ticked(toggleBox(boxes('none'), 0).boxes)).toEqual([]);
  });

  it('without an exclusive choice it is a plain checkbox', () => {
    const r = toggleBox(boxes('none,build', 'no-such'), 2);
    expect(ticked(r.boxes)).toEqual(['none', 'build', 'tests']);
    expect(r.unticked).toEqual([]);
  });

  it('"all" ticks every practice but never the exclusive choice, and a second "all" clears the boxes', () => {
    const all = toggleAll(boxes('none'));
    expect(ticked(all)).toEqual(['build', 'tests', 'sign']);
    expect(ticked(toggleAll(all))).toEqual([]);
  });

  it('leaves the boxes it was given as they were', () => {
    const given = boxes('build');
    toggleBox(given, 0);
    expect(ticked(given)).toEqual(['build']);
  });
});
